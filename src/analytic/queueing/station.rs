//! Single stations: M/M/1, Erlang B and C, M/M/c, M/M/c/K, M/G/1 (Pollaczek–Khinchine), M/D/1,
//! processor sharing, the Allen–Cunneen M/G/c approximation and M/G/∞.

use super::{
    check_lambda, check_mean_service, check_mu, FiniteQueueMetrics, QueueError, QueueMetrics,
    Result,
};

/// M/M/1: Poisson arrivals at `lambda` \[1/s\], one exponential server at rate `mu` \[1/s\].
///
/// W = 1/(μ − λ), L = ρ/(1 − ρ), Wq = ρ/(μ − λ), Lq = ρ²/(1 − ρ).
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`],
/// [`QueueError::Unstable`] when ρ = λ/μ ≥ 1.
///
/// # Complexity
/// O(1).
pub fn mm1(lambda: f64, mu: f64) -> Result<QueueMetrics> {
    mmc(lambda, mu, 1)
}

/// Erlang B blocking probability B(c, a) for `c` servers and offered load `a` \[Erlang\], by the
/// stable recursion B(0) = 1, B(k) = a·B(k−1)/(k + a·B(k−1)) (no factorials, no overflow).
///
/// Returns 1 for `a` = ∞ and 0 for `a` = 0; `a` must not be negative or NaN (then NaN is
/// avoided by returning 1).
///
/// # Complexity
/// O(c).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    if a.is_nan() || a < 0.0 || a.is_infinite() {
        return 1.0;
    }
    let mut b = 1.0;
    for k in 1..=c {
        let ab = a * b;
        b = ab / (f64::from(k) + ab);
    }
    b
}

/// Erlang C probability of waiting C(c, a) = c·B/(c − a(1 − B)) for `c` servers and offered load
/// `a` = λ/μ \[Erlang\], computed from the Erlang B recursion ([`erlang_b`]).
///
/// # Errors
/// [`QueueError::NoServers`] for c = 0, [`QueueError::InvalidParameter`] for a negative or
/// non-finite load, [`QueueError::Unstable`] when a ≥ c.
///
/// # Complexity
/// O(c).
pub fn erlang_c(c: u32, a: f64) -> Result<f64> {
    if c == 0 {
        return Err(QueueError::NoServers);
    }
    if !a.is_finite() || a < 0.0 {
        return Err(QueueError::InvalidParameter {
            name: "offered load",
            value: a,
        });
    }
    let cf = f64::from(c);
    if a >= cf {
        return Err(QueueError::Unstable { rho: a / cf });
    }
    let b = erlang_b(c, a);
    Ok((cf * b / (cf - a * (1.0 - b))).clamp(0.0, 1.0))
}

/// M/M/c: Poisson arrivals at `lambda` \[1/s\], `c` identical exponential servers at rate `mu`
/// \[1/s\] each, FCFS, unlimited waiting room.
///
/// P(wait) = Erlang C(c, a) with a = λ/μ; Lq = C·ρ/(1 − ρ); Wq = C/(cμ − λ); W = Wq + 1/μ;
/// L = λW.
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`],
/// [`QueueError::NoServers`], [`QueueError::Unstable`] when ρ = λ/(cμ) ≥ 1.
///
/// # Complexity
/// O(c) (Erlang B recursion).
pub fn mmc(lambda: f64, mu: f64, c: u32) -> Result<QueueMetrics> {
    check_lambda(lambda)?;
    check_mu(mu)?;
    if c == 0 {
        return Err(QueueError::NoServers);
    }
    let a = lambda / mu;
    let cf = f64::from(c);
    let rho = a / cf;
    if !rho.is_finite() || rho >= 1.0 {
        return Err(QueueError::Unstable { rho });
    }
    let p_wait = erlang_c(c, a)?;
    let wq = p_wait / (cf * mu - lambda);
    let w = wq + 1.0 / mu;
    Ok(QueueMetrics {
        lambda,
        rho,
        offered_load: a,
        p_wait,
        l: lambda * w,
        lq: lambda * wq,
        w,
        wq,
    })
}

/// M/M/c/K: Poisson arrivals at `lambda` \[1/s\], `c` exponential servers at rate `mu` \[1/s\],
/// room for `k` jobs in total (c in service + K − c waiting); arrivals finding K jobs are lost.
///
/// Birth–death stationary distribution p_n ∝ Π_{i=1..n} λ/(min(i, c)μ), n = 0..K, computed in
/// the log domain and normalized (no factorials, no overflow, any ρ including ρ ≥ 1).
/// P_K = p_K, throughput λ(1 − P_K), L = Σ n p_n, Lq = Σ (n − c)⁺ p_n, W = L/throughput,
/// Wq = Lq/throughput.
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`],
/// [`QueueError::NoServers`], [`QueueError::CapacityBelowServers`] when K < c.
///
/// # Complexity
/// O(K) time and memory.
pub fn mmck(lambda: f64, mu: f64, c: u32, k: u32) -> Result<FiniteQueueMetrics> {
    check_lambda(lambda)?;
    check_mu(mu)?;
    if c == 0 {
        return Err(QueueError::NoServers);
    }
    if k < c {
        return Err(QueueError::CapacityBelowServers { c, k });
    }
    let mut logw = Vec::with_capacity(k as usize + 1);
    logw.push(0.0_f64);
    let mut acc = 0.0_f64;
    for n in 1..=k {
        acc += (lambda / (f64::from(n.min(c)) * mu)).ln();
        logw.push(acc);
    }
    let max = logw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = logw.iter().map(|lw| (lw - max).exp()).collect();
    let total: f64 = weights.iter().sum();
    let (mut l, mut lq) = (0.0, 0.0);
    for (n, wgt) in weights.iter().enumerate() {
        let p = wgt / total;
        l += n as f64 * p;
        lq += n.saturating_sub(c as usize) as f64 * p;
    }
    let p_block = weights[k as usize] / total;
    let throughput = lambda * (1.0 - p_block);
    if throughput <= 0.0 {
        // Only reachable when p_block rounds to 1 (astronomical overload).
        return Err(QueueError::Unstable {
            rho: lambda / (f64::from(c) * mu),
        });
    }
    Ok(FiniteQueueMetrics {
        lambda,
        p_block,
        throughput,
        rho: throughput / (f64::from(c) * mu),
        l,
        lq,
        w: l / throughput,
        wq: lq / throughput,
    })
}

/// M/G/1 FCFS by the Pollaczek–Khinchine formula: Poisson arrivals at `lambda` \[1/s\], one
/// server with service time S of mean `mean_s` \[s\] and second moment `second_moment_s2` = E\[S²\]
/// \[s²\].
///
/// ρ = λE\[S\]; Wq = λE\[S²\]/(2(1 − ρ)); W = Wq + E\[S\]; L = λW; Lq = λWq.
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`] (mean ≤ 0),
/// [`QueueError::InvalidParameter`] when E\[S²\] < E\[S\]² or is not finite (heavy tails with
/// infinite variance have no finite mean wait), [`QueueError::Unstable`] when ρ ≥ 1.
///
/// # Complexity
/// O(1).
pub fn mg1(lambda: f64, mean_s: f64, second_moment_s2: f64) -> Result<QueueMetrics> {
    check_lambda(lambda)?;
    check_mean_service(mean_s)?;
    if !second_moment_s2.is_finite() || second_moment_s2 < mean_s * mean_s * (1.0 - 1e-9) {
        return Err(QueueError::InvalidParameter {
            name: "second moment E[S²]",
            value: second_moment_s2,
        });
    }
    let rho = lambda * mean_s;
    if rho >= 1.0 {
        return Err(QueueError::Unstable { rho });
    }
    let wq = lambda * second_moment_s2 / (2.0 * (1.0 - rho));
    let w = wq + mean_s;
    Ok(QueueMetrics {
        lambda,
        rho,
        offered_load: rho,
        p_wait: rho,
        l: lambda * w,
        lq: lambda * wq,
        w,
        wq,
    })
}

/// M/D/1: [`mg1`] with a constant service time `service_s` \[s\] (E\[S²\] = E\[S\]²), so
/// Wq = ρ/(2μ(1 − ρ)), half the M/M/1 wait.
///
/// # Errors
/// As [`mg1`].
///
/// # Complexity
/// O(1).
pub fn md1(lambda: f64, service_s: f64) -> Result<QueueMetrics> {
    mg1(lambda, service_s, service_s * service_s)
}

/// M/G/1 processor sharing: Poisson arrivals at `lambda` \[1/s\], one server shared equally by
/// all jobs present, mean service requirement `mean_s` \[s\]. Insensitive to the service
/// distribution beyond its mean.
///
/// ρ = λE\[S\]; W = E\[S\]/(1 − ρ); L = ρ/(1 − ρ); Wq = W − E\[S\] (the slowdown beyond the job's own
/// work); Lq = L − ρ; `p_wait` is ρ, the probability of finding the server busy.
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`],
/// [`QueueError::Unstable`] when ρ ≥ 1.
///
/// # Complexity
/// O(1).
pub fn mg1_ps(lambda: f64, mean_s: f64) -> Result<QueueMetrics> {
    check_lambda(lambda)?;
    check_mean_service(mean_s)?;
    let rho = lambda * mean_s;
    if rho >= 1.0 {
        return Err(QueueError::Unstable { rho });
    }
    let w = mean_s / (1.0 - rho);
    let l = rho / (1.0 - rho);
    Ok(QueueMetrics {
        lambda,
        rho,
        offered_load: rho,
        p_wait: rho,
        l,
        lq: l - rho,
        w,
        wq: w - mean_s,
    })
}

/// M/G/c **approximation** (Allen–Cunneen with Poisson arrivals): Wq ≈ Wq(M/M/c)·(1 + cs²)/2,
/// where cs² = `scv_s` is the squared coefficient of variation of the service time of mean
/// `mean_s` \[s\], on `c` servers. Exact for c = 1 (it reduces to Pollaczek–Khinchine) and for
/// exponential service (cs² = 1); within a few percent for moderate cs² otherwise. Use for
/// estimates only, never as a test oracle for c > 1.
///
/// P(wait) is the M/M/c Erlang C value (not adjusted).
///
/// # Errors
/// As [`mmc`], plus [`QueueError::InvalidParameter`] for a negative or non-finite `scv_s`.
///
/// # Complexity
/// O(c).
pub fn mgc_approx(lambda: f64, mean_s: f64, scv_s: f64, c: u32) -> Result<QueueMetrics> {
    check_mean_service(mean_s)?;
    if !scv_s.is_finite() || scv_s < 0.0 {
        return Err(QueueError::InvalidParameter {
            name: "squared coefficient of variation",
            value: scv_s,
        });
    }
    let m = mmc(lambda, 1.0 / mean_s, c)?;
    let wq = m.wq * (1.0 + scv_s) / 2.0;
    let w = wq + mean_s;
    Ok(QueueMetrics {
        wq,
        w,
        lq: lambda * wq,
        l: lambda * w,
        ..m
    })
}

/// M/G/∞: Poisson arrivals at `lambda` \[1/s\], a server for every job, mean service `mean_s`
/// \[s\]. No waiting: W = E\[S\], Wq = 0, L = a = λE\[S\] (the number in system is Poisson(a)).
/// `rho` is reported as 0; the mean number of busy servers is `offered_load`.
///
/// # Errors
/// [`QueueError::NonPositiveArrival`], [`QueueError::NonPositiveService`].
///
/// # Complexity
/// O(1).
pub fn mginf(lambda: f64, mean_s: f64) -> Result<QueueMetrics> {
    check_lambda(lambda)?;
    check_mean_service(mean_s)?;
    let a = lambda * mean_s;
    Ok(QueueMetrics {
        lambda,
        rho: 0.0,
        offered_load: a,
        p_wait: 0.0,
        l: a,
        lq: 0.0,
        w: mean_s,
        wq: 0.0,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_support::{assert_close, little};
    use super::*;

    #[test]
    fn mm1_textbook() {
        // λ = 0.9, μ = 1: ρ = 0.9, W = 1/(μ − λ) = 10, L = 9, Wq = 9, Lq = 8.1.
        let m = mm1(0.9, 1.0).unwrap();
        assert_close(m.rho, 0.9, 1e-12);
        assert_close(m.w, 10.0, 1e-12);
        assert_close(m.l, 9.0, 1e-12);
        assert_close(m.wq, 9.0, 1e-12);
        assert_close(m.lq, 8.1, 1e-12);
        assert_close(m.p_wait, 0.9, 1e-12);
        little(&m);
    }

    #[test]
    fn mmc_m_m_3_by_hand() {
        // λ = 2.4, μ = 1, c = 3: a = 2.4, ρ = 0.8.
        // Erlang B recursion: B1 = 2.4/3.4 = 0.7058824;
        // B2 = 2.4·B1/(2 + 2.4·B1) = 1.6941176/3.6941176 = 0.4585987;
        // B3 = 2.4·B2/(3 + 2.4·B2) = 1.1006369/4.1006369 = 0.2684064.
        // C = 3·B3/(3 − 2.4(1 − B3)) = 0.8052192/1.2441754 = 0.6471910.
        // Wq = C/(cμ − λ) = 0.6471910/0.6 = 1.0786517; W = 2.0786517; Lq = 2.5887640.
        let m = mmc(2.4, 1.0, 3).unwrap();
        assert_close(m.rho, 0.8, 1e-12);
        assert_close(m.p_wait, 0.6471910, 1e-6);
        assert_close(m.wq, 1.0786517, 1e-6);
        assert_close(m.w, 2.0786517, 1e-6);
        assert_close(m.lq, 2.5887640, 1e-6);
        little(&m);
        // Same value from the factorial form of Erlang C (fine for tiny c).
        let a: f64 = 2.4;
        let c = 3.0;
        let fact = |k: u32| (1..=k).map(f64::from).product::<f64>();
        let sum: f64 = (0..3).map(|k| a.powi(k as i32) / fact(k)).sum();
        let top = a.powi(3) / fact(3) * c / (c - a);
        assert_close(m.p_wait, top / (sum + top), 1e-12);
    }

    #[test]
    fn mmc_one_server_is_mm1_and_large_c_is_stable() {
        let a = mmc(0.5, 1.0, 1).unwrap();
        let b = mm1(0.5, 1.0).unwrap();
        assert_eq!(a, b);
        // 1000 servers at ρ = 0.99: no overflow, finite, sane.
        let m = mmc(990.0, 1.0, 1000).unwrap();
        assert!(m.p_wait.is_finite() && m.p_wait > 0.0 && m.p_wait < 1.0);
        assert!(m.w > 1.0 && m.w < 2.0);
        little(&m);
    }

    #[test]
    fn unstable_and_invalid_inputs_are_errors() {
        assert!(matches!(mm1(1.0, 1.0), Err(QueueError::Unstable { .. })));
        assert!(matches!(mmc(3.0, 1.0, 3), Err(QueueError::Unstable { .. })));
        assert!(matches!(
            mm1(0.0, 1.0),
            Err(QueueError::NonPositiveArrival(_))
        ));
        assert!(matches!(
            mm1(-1.0, 1.0),
            Err(QueueError::NonPositiveArrival(_))
        ));
        assert!(matches!(
            mm1(f64::NAN, 1.0),
            Err(QueueError::NonPositiveArrival(_))
        ));
        assert!(matches!(
            mm1(0.5, 0.0),
            Err(QueueError::NonPositiveService(_))
        ));
        assert!(matches!(mmc(0.5, 1.0, 0), Err(QueueError::NoServers)));
        assert!(matches!(
            mg1(1.0, 1.0, 2.0),
            Err(QueueError::Unstable { .. })
        ));
        assert!(matches!(
            mg1(0.5, 1.0, f64::INFINITY),
            Err(QueueError::InvalidParameter { .. })
        ));
        assert!(matches!(
            mg1(0.5, 1.0, 0.5),
            Err(QueueError::InvalidParameter { .. })
        ));
        assert!(matches!(mg1_ps(2.0, 0.5), Err(QueueError::Unstable { .. })));
        assert!(matches!(
            mmck(1.0, 1.0, 2, 1),
            Err(QueueError::CapacityBelowServers { c: 2, k: 1 })
        ));
        assert!(matches!(mmck(1.0, 1.0, 0, 1), Err(QueueError::NoServers)));
        assert!(matches!(
            mginf(0.0, 1.0),
            Err(QueueError::NonPositiveArrival(_))
        ));
        assert!(matches!(
            mginf(1.0, 0.0),
            Err(QueueError::NonPositiveService(_))
        ));
        assert!(matches!(erlang_c(0, 1.0), Err(QueueError::NoServers)));
        assert!(erlang_c(2, 2.0).is_err());
        // Errors render a message.
        assert!(mm1(1.0, 1.0).unwrap_err().to_string().contains("≥ 1"));
    }

    #[test]
    fn erlang_b_known_value() {
        // B(2, 1) = (1/2)/(1 + 1 + 1/2) = 0.2.
        assert_close(erlang_b(2, 1.0), 0.2, 1e-12);
        assert_eq!(erlang_b(0, 5.0), 1.0);
        assert_eq!(erlang_b(3, 0.0), 0.0);
    }

    #[test]
    fn mm1k_matches_known_formula() {
        // M/M/1/K: P_K = (1 − ρ)ρ^K/(1 − ρ^{K+1}),
        // L = ρ/(1 − ρ) − (K + 1)ρ^{K+1}/(1 − ρ^{K+1}).
        for &(lambda, k) in &[(0.5, 5u32), (0.9, 10), (1.5, 4), (3.0, 20)] {
            let rho: f64 = lambda;
            let m = mmck(lambda, 1.0, 1, k).unwrap();
            let pk = (1.0 - rho) * rho.powi(k as i32) / (1.0 - rho.powi(k as i32 + 1));
            let l = rho / (1.0 - rho)
                - (k as f64 + 1.0) * rho.powi(k as i32 + 1) / (1.0 - rho.powi(k as i32 + 1));
            assert_close(m.p_block, pk, 1e-10);
            assert_close(m.l, l, 1e-10);
            assert_close(m.throughput, lambda * (1.0 - pk), 1e-10);
            assert_close(m.w, m.l / m.throughput, 1e-12);
            // With one server, Lq = L − (1 − p0) and p0 = (1 − ρ)/(1 − ρ^{K+1}).
            let p0 = (1.0 - rho) / (1.0 - rho.powi(k as i32 + 1));
            assert_close(m.lq, m.l - (1.0 - p0), 1e-10);
        }
        // ρ = 1 exactly: uniform distribution, P_K = 1/(K+1), L = K/2.
        let m = mmck(1.0, 1.0, 1, 4).unwrap();
        assert_close(m.p_block, 0.2, 1e-12);
        assert_close(m.l, 2.0, 1e-12);
    }

    #[test]
    fn mmck_erlang_loss_and_large_k_limit() {
        // K = c: the Erlang loss system, P_K = Erlang B.
        let m = mmck(2.4, 1.0, 3, 3).unwrap();
        assert_close(m.p_block, erlang_b(3, 2.4), 1e-12);
        assert_eq!(m.lq, 0.0);
        // Large K: converges to M/M/c.
        let f = mmck(2.4, 1.0, 3, 2000).unwrap();
        let inf = mmc(2.4, 1.0, 3).unwrap();
        assert!(f.p_block < 1e-12);
        assert_close(f.w, inf.w, 1e-9);
        assert_close(f.l, inf.l, 1e-9);
        // Heavy overload with a huge K does not overflow.
        let o = mmck(50.0, 1.0, 2, 100_000).unwrap();
        assert!(o.p_block.is_finite());
        assert_close(o.throughput, 2.0, 1e-9);
        assert_close(o.rho, 1.0, 1e-9);
    }

    #[test]
    fn md1_and_mg1() {
        // M/D/1: Wq = ρ/(2μ(1 − ρ)). λ = 0.5, S = 1: Wq = 0.5.
        let m = md1(0.5, 1.0).unwrap();
        assert_close(m.wq, 0.5 / (2.0 * 1.0 * 0.5), 1e-12);
        assert_close(m.w, 1.5, 1e-12);
        little(&m);
        // M/G/1 with exponential moments equals M/M/1.
        let g = mg1(0.9, 1.0, 2.0).unwrap();
        let e = mm1(0.9, 1.0).unwrap();
        assert_close(g.w, e.w, 1e-12);
        assert_close(g.l, e.l, 1e-12);
    }

    #[test]
    fn processor_sharing_and_infinite_server() {
        let ps = mg1_ps(0.9, 1.0).unwrap();
        assert_close(ps.w, 10.0, 1e-12);
        assert_close(ps.l, 9.0, 1e-12);
        little(&ps);
        let inf = mginf(5.0, 0.2).unwrap();
        assert_close(inf.w, 0.2, 1e-12);
        assert_close(inf.l, 1.0, 1e-12);
        assert_eq!(inf.rho, 0.0);
        assert_eq!(inf.wq, 0.0);
    }

    #[test]
    fn allen_cunneen_reduces_to_exact_cases() {
        // c = 1: Pollaczek–Khinchine.
        let a = mgc_approx(0.7, 1.0, 0.0, 1).unwrap();
        let d = md1(0.7, 1.0).unwrap();
        assert_close(a.wq, d.wq, 1e-12);
        // cs² = 1: M/M/c.
        let b = mgc_approx(2.4, 1.0, 1.0, 3).unwrap();
        let m = mmc(2.4, 1.0, 3).unwrap();
        assert_close(b.w, m.w, 1e-12);
        little(&b);
        assert!(mgc_approx(1.0, 1.0, -1.0, 2).is_err());
    }
}
