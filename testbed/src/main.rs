//! `testbed ROLE PORT [TRACE_FILE]`: runs one service of the testbed (front, inventory, pricing,
//! orders) or the whole application in one process (monolith) on 127.0.0.1:PORT.
//!
//! Environment: `TESTBED_DB` (a PostgreSQL connection string, for inventory, orders and the
//! monolith); `TESTBED_INVENTORY`, `TESTBED_PRICING`, `TESTBED_ORDERS` (base URLs, for front).
//! SIGTERM or SIGINT flushes the traces and exits 0.

mod app;
mod otlp;

use std::sync::Arc;

use app::{App, Peers, Role};
use otlp::Tracer;

fn fail(msg: &str) -> ! {
    eprintln!("testbed: {msg}");
    eprintln!("usage: testbed front|inventory|pricing|orders|monolith PORT [TRACE_FILE]");
    std::process::exit(2)
}

fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| fail(&format!("{name} is not set (the base URL of that service)")))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 || args.len() > 3 {
        fail("expected a role and a port");
    }
    let role =
        Role::parse(&args[0]).unwrap_or_else(|| fail(&format!("unknown role {:?}", args[0])));
    let port: u16 = args[1].parse().unwrap_or_else(|_| {
        fail(&format!(
            "port {:?} is not a number from 1 to 65535",
            args[1]
        ))
    });
    let tracer = Tracer::new(role.name(), args.get(2).map(String::as_str))
        .unwrap_or_else(|e| fail(&format!("cannot open the trace file: {e}")));
    let peers = (role == Role::Front).then(|| Peers {
        inventory: env("TESTBED_INVENTORY"),
        pricing: env("TESTBED_PRICING"),
        orders: env("TESTBED_ORDERS"),
    });
    let db = std::env::var("TESTBED_DB").ok();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(&format!("tokio runtime: {e}")));
    let code = runtime.block_on(async move {
        let app = match App::new(role, tracer.clone(), peers, db.as_deref()).await {
            Ok(a) => Arc::new(a),
            Err(e) => {
                eprintln!("testbed: {e}");
                return 2;
            }
        };
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("testbed: cannot listen on 127.0.0.1:{port}: {e}");
                return 2;
            }
        };
        let stop = async {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(t) => t,
                    Err(_) => return std::future::pending().await,
                };
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        };
        let served = axum::serve(listener, app.clone().router())
            .with_graceful_shutdown(stop)
            .await;
        tracer.flush();
        match served {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("testbed: server: {e}");
                3
            }
        }
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    std::process::exit(code);
}
