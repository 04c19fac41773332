//! The application: four services and their operations. Each operation burns a known amount of
//! CPU (busy work measured in the thread's own CPU time, so the demand does not depend on how
//! busy the machine is) and makes real PostgreSQL queries and calls to the other services.
//!
//! ```text
//! front    GET  /checkout/{id}  cpu 2 ms;  parallel { inventory.reserve, pricing.quote }; then orders.create
//! inventory POST /reserve/{id}  cpu 5 ms;  SELECT stock FROM items WHERE id = $1
//! pricing  POST /quote/{id}     cpu 8 ms
//! orders   POST /orders         cpu 4 ms;  INSERT INTO orders (item) VALUES ($1)
//! ```
//!
//! In the microservices deployment every service is its own process and calls go over HTTP+JSON
//! on loopback; in the monolith they are function calls in one process (an internal span each).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio_postgres::{Client, NoTls};

use crate::otlp::{Ctx, Kind, Tracer};

/// CPU demand of each operation, microseconds of the thread's CPU time.
pub const CPU_CHECKOUT_US: u64 = 2_000;
pub const CPU_RESERVE_US: u64 = 5_000;
pub const CPU_QUOTE_US: u64 = 8_000;
pub const CPU_CREATE_US: u64 = 4_000;

/// Which part of the application this process runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    Front,
    Inventory,
    Pricing,
    Orders,
    /// Every service in one process, calls in-process.
    Monolith,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "front" => Role::Front,
            "inventory" => Role::Inventory,
            "pricing" => Role::Pricing,
            "orders" => Role::Orders,
            "monolith" => Role::Monolith,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            Role::Front => "front",
            Role::Inventory => "inventory",
            Role::Pricing => "pricing",
            Role::Orders => "orders",
            Role::Monolith => "monolith",
        }
    }
    fn uses_db(self) -> bool {
        matches!(self, Role::Inventory | Role::Orders | Role::Monolith)
    }
}

/// Base URLs of the other services (microservices deployment only).
pub struct Peers {
    pub inventory: String,
    pub pricing: String,
    pub orders: String,
}

pub struct App {
    pub role: Role,
    pub tracer: Tracer,
    http: reqwest::Client,
    peers: Option<Peers>,
    db: Vec<Client>,
    next_db: AtomicUsize,
}

type Failure = (StatusCode, String);

/// Burns `us` microseconds of this thread's CPU time.
fn burn(us: u64) -> u64 {
    fn thread_cpu_ns() -> u64 {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime only writes the timespec it is given, which lives on this stack.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
    }
    let start = thread_cpu_ns();
    let target = us * 1_000;
    let mut x: u64 = start | 1;
    loop {
        for _ in 0..2_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
        }
        if thread_cpu_ns() - start >= target {
            return std::hint::black_box(x);
        }
    }
}

/// Busy work off the async workers (a blocking thread each, scheduled by the kernel).
async fn busy(us: u64) {
    let _ = tokio::task::spawn_blocking(move || burn(us)).await;
}

impl App {
    pub async fn new(
        role: Role,
        tracer: Tracer,
        peers: Option<Peers>,
        db_url: Option<&str>,
    ) -> Result<App, String> {
        let mut db = Vec::new();
        if role.uses_db() {
            let url = db_url.ok_or("TESTBED_DB (a PostgreSQL connection string) is not set")?;
            for _ in 0..4 {
                let (client, conn) = tokio_postgres::connect(url, NoTls)
                    .await
                    .map_err(|e| format!("cannot connect to PostgreSQL ({url}): {e}"))?;
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        eprintln!("testbed: database connection: {e}");
                    }
                });
                db.push(client);
            }
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .pool_max_idle_per_host(64)
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(App {
            role,
            tracer,
            http,
            peers,
            db,
            next_db: AtomicUsize::new(0),
        })
    }

    /// The routes this role serves.
    pub fn router(self: Arc<App>) -> Router {
        let r = Router::new();
        let r = match self.role {
            Role::Front | Role::Monolith => r.route("/checkout/{id}", get(checkout_handler)),
            Role::Inventory => r.route("/reserve/{id}", post(reserve_handler)),
            Role::Pricing => r.route("/quote/{id}", post(quote_handler)),
            Role::Orders => r.route("/orders", post(create_handler)),
        };
        r.with_state(self)
    }

    async fn query(
        &self,
        parent: Ctx,
        op: &str,
        table: &str,
        sql: &str,
        id: i64,
    ) -> Result<i64, Failure> {
        let mut span =
            self.tracer
                .start(&format!("{op} testbed.{table}"), Kind::Client, Some(parent));
        span.attr("db.system", "postgresql");
        span.attr("db.name", "testbed");
        span.attr("db.operation", op);
        span.attr("db.statement", sql);
        let i = self.next_db.fetch_add(1, Ordering::Relaxed) % self.db.len().max(1);
        let result = match self.db.get(i) {
            Some(c) => c.query_opt(sql, &[&id]).await.map_err(|e| e.to_string()),
            None => Err("no database connection".to_string()),
        };
        let out = match result {
            Ok(row) => Ok(row.map(|r| r.get::<_, i64>(0)).unwrap_or(0)),
            Err(e) => {
                span.set_error();
                Err((StatusCode::INTERNAL_SERVER_ERROR, format!("query: {e}")))
            }
        };
        self.tracer.end(span);
        out
    }

    /// One operation of another module: over HTTP (microservices) or a function call (monolith).
    async fn call(self: &Arc<Self>, parent: Ctx, module: Role, id: i64) -> Result<Value, Failure> {
        let Some(peers) = &self.peers else {
            let span = self.tracer.start(
                &format!("{} (in-process)", module.name()),
                Kind::Internal,
                Some(parent),
            );
            let ctx = span.ctx;
            let out = match module {
                Role::Inventory => self.reserve(ctx, id).await,
                Role::Pricing => self.quote(ctx, id).await,
                _ => self.create(ctx, id).await,
            };
            self.tracer.end(span);
            return out;
        };
        let (url, name) = match module {
            Role::Inventory => (
                format!("{}/reserve/{id}", peers.inventory),
                "POST /reserve/{id}",
            ),
            Role::Pricing => (format!("{}/quote/{id}", peers.pricing), "POST /quote/{id}"),
            _ => (format!("{}/orders", peers.orders), "POST /orders"),
        };
        let mut span = self.tracer.start(name, Kind::Client, Some(parent));
        span.attr("peer.service", module.name());
        let sent = self
            .http
            .post(&url)
            .header("traceparent", span.ctx.traceparent())
            .json(&json!({ "item": id }))
            .send()
            .await;
        let out = match sent {
            Ok(resp) if resp.status().is_success() => resp
                .json::<Value>()
                .await
                .map_err(|e| (StatusCode::BAD_GATEWAY, format!("{name}: {e}"))),
            Ok(resp) => Err((
                StatusCode::BAD_GATEWAY,
                format!("{name}: status {}", resp.status()),
            )),
            Err(e) => Err((StatusCode::BAD_GATEWAY, format!("{name}: {e}"))),
        };
        if out.is_err() {
            span.set_error();
        }
        self.tracer.end(span);
        out
    }

    async fn checkout(self: &Arc<Self>, ctx: Ctx, id: i64) -> Result<Value, Failure> {
        busy(CPU_CHECKOUT_US).await;
        let (stock, price) = tokio::join!(
            self.call(ctx, Role::Inventory, id),
            self.call(ctx, Role::Pricing, id)
        );
        let (stock, price) = (stock?, price?);
        let order = self.call(ctx, Role::Orders, id).await?;
        Ok(
            json!({ "item": id, "stock": stock["stock"], "price": price["price"], "order": order["order"] }),
        )
    }

    async fn reserve(&self, ctx: Ctx, id: i64) -> Result<Value, Failure> {
        busy(CPU_RESERVE_US).await;
        let stock = self
            .query(
                ctx,
                "SELECT",
                "items",
                "SELECT stock FROM items WHERE id = $1",
                id % 1000,
            )
            .await?;
        Ok(json!({ "stock": stock }))
    }

    async fn quote(&self, _ctx: Ctx, id: i64) -> Result<Value, Failure> {
        busy(CPU_QUOTE_US).await;
        Ok(json!({ "price": 100 + id % 17 }))
    }

    async fn create(&self, ctx: Ctx, id: i64) -> Result<Value, Failure> {
        busy(CPU_CREATE_US).await;
        let order = self
            .query(
                ctx,
                "INSERT",
                "orders",
                "INSERT INTO orders (item) VALUES ($1) RETURNING id",
                id,
            )
            .await?;
        Ok(json!({ "order": order }))
    }
}

/// Runs `f` inside a server span named `name`, parented by the request's `traceparent`.
async fn serve<F, Fut>(
    app: &Arc<App>,
    headers: &HeaderMap,
    name: &str,
    f: F,
) -> Result<Json<Value>, Failure>
where
    F: FnOnce(Ctx) -> Fut,
    Fut: std::future::Future<Output = Result<Value, Failure>>,
{
    let parent = headers
        .get("traceparent")
        .and_then(|v| v.to_str().ok())
        .and_then(Ctx::parse);
    let mut span = app.tracer.start(name, Kind::Server, parent);
    span.attr("http.route", name.split(' ').nth(1).unwrap_or(name));
    let out = f(span.ctx).await;
    if out.is_err() {
        span.set_error();
    }
    app.tracer.end(span);
    out.map(Json)
}

async fn checkout_handler(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<Value>, Failure> {
    let a = app.clone();
    serve(
        &app,
        &headers,
        "GET /checkout/{id}",
        move |ctx| async move { a.checkout(ctx, id).await },
    )
    .await
}

async fn reserve_handler(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<Value>, Failure> {
    let a = app.clone();
    serve(
        &app,
        &headers,
        "POST /reserve/{id}",
        move |ctx| async move { a.reserve(ctx, id).await },
    )
    .await
}

async fn quote_handler(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<Value>, Failure> {
    let a = app.clone();
    serve(&app, &headers, "POST /quote/{id}", move |ctx| async move {
        a.quote(ctx, id).await
    })
    .await
}

async fn create_handler(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Result<Json<Value>, Failure> {
    let id = body["item"].as_i64().ok_or((
        StatusCode::BAD_REQUEST,
        "body needs an integer \"item\"".to_string(),
    ))?;
    let a = app.clone();
    serve(&app, &headers, "POST /orders", move |ctx| async move {
        a.create(ctx, id).await
    })
    .await
}
