//! Deployment manifests: replicas, CPU and memory limits per service from a Kubernetes YAML
//! (Deployments and StatefulSets, several documents separated by `---`) or a docker-compose
//! file (docs/discover.md, "Deployment manifests").
//!
//! YAML is read with `serde_norway` (a maintained fork of the unmaintained `serde_yaml`): its
//! errors carry the line and column, and a value of the wrong type names its field path.

use super::error::DiscoverError;
use super::Deployed;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// What one manifest file declares.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// Per name (deployment, stateful set or compose service), what it declares.
    pub entries: BTreeMap<String, Deployed>,
    /// Documents skipped, e.g. `Service "web"` (kinds that declare no workload).
    pub skipped: Vec<String>,
    /// Remarks (a container without a limit, …).
    pub notes: Vec<String>,
}

/// A CPU quantity in cores: Kubernetes `"500m"`, `"2"`, `2`, `0.5`; compose `"0.5"`, `1.5`.
#[derive(Debug, Clone, Copy)]
struct Cpu(f64);

/// A memory quantity in bytes.
#[derive(Debug, Clone, Copy)]
struct Bytes(u64);

/// Which unit system a memory string uses.
#[derive(Clone, Copy)]
enum MemUnits {
    /// Kubernetes quantities: `Ki Mi Gi Ti Pi Ei` (powers of 1024), `k M G T P E` (of 1000).
    Kubernetes,
    /// Compose byte values: `b k kb m mb g gb` in either case, all powers of 1024.
    Compose,
}

fn parse_cpu(s: &str) -> Result<f64, String> {
    let s = s.trim();
    let (num, scale) = match s.strip_suffix('m') {
        Some(n) => (n, 1e-3),
        None => (s, 1.0),
    };
    let v: f64 = num
        .parse()
        .map_err(|_| format!("expected a CPU quantity like \"500m\", \"2\" or 0.5, found {s:?}"))?;
    let v = v * scale;
    if !v.is_finite() || v <= 0.0 || v > 4096.0 {
        return Err(format!(
            "expected a CPU limit > 0 and ≤ 4096 cores, found {s:?}"
        ));
    }
    Ok(v)
}

fn parse_memory(s: &str, units: MemUnits) -> Result<u64, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let mult: f64 = match units {
        MemUnits::Kubernetes => match unit {
            "" => 1.0,
            "Ki" => 1024.0,
            "Mi" => 1024f64.powi(2),
            "Gi" => 1024f64.powi(3),
            "Ti" => 1024f64.powi(4),
            "Pi" => 1024f64.powi(5),
            "Ei" => 1024f64.powi(6),
            "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "T" => 1e12,
            "P" => 1e15,
            "E" => 1e18,
            _ => {
                return Err(format!(
                    "expected a memory quantity like \"512Mi\", \"1Gi\" or \"500M\", found {s:?}"
                ))
            }
        },
        MemUnits::Compose => match unit.to_ascii_lowercase().as_str() {
            "" | "b" => 1.0,
            "k" | "kb" => 1024.0,
            "m" | "mb" => 1024f64.powi(2),
            "g" | "gb" => 1024f64.powi(3),
            _ => {
                return Err(format!(
                    "expected a byte value like \"512m\", \"1gb\" or 1048576, found {s:?}"
                ))
            }
        },
    };
    let v: f64 = num
        .parse()
        .map_err(|_| format!("expected a memory quantity with a number, found {s:?}"))?;
    let b = (v * mult).round();
    // 64 TB is the scenario format's limit on `base_memory`.
    if !b.is_finite() || b <= 0.0 || b > 64.0 * 1024f64.powi(4) {
        return Err(format!(
            "expected a memory limit > 0 and ≤ 64TB, found {s:?}"
        ));
    }
    Ok(b as u64)
}

struct QuantityVisitor<F>(F, &'static str);

impl<T, F: Fn(&str) -> Result<T, String>> Visitor<'_> for QuantityVisitor<F> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.1)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.0)(v).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        (self.0)(&v.to_string()).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        (self.0)(&v.to_string()).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        (self.0)(&v.to_string()).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Cpu {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Cpu, D::Error> {
        d.deserialize_any(QuantityVisitor(parse_cpu, "a CPU quantity"))
            .map(Cpu)
    }
}

/// A Kubernetes memory quantity.
#[derive(Debug, Clone, Copy)]
struct K8sBytes(Bytes);

impl<'de> Deserialize<'de> for K8sBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<K8sBytes, D::Error> {
        d.deserialize_any(QuantityVisitor(
            |s: &str| parse_memory(s, MemUnits::Kubernetes),
            "a memory quantity",
        ))
        .map(|b| K8sBytes(Bytes(b)))
    }
}

/// A compose byte value.
#[derive(Debug, Clone, Copy)]
struct ComposeBytes(Bytes);

impl<'de> Deserialize<'de> for ComposeBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ComposeBytes, D::Error> {
        d.deserialize_any(QuantityVisitor(
            |s: &str| parse_memory(s, MemUnits::Compose),
            "a byte value",
        ))
        .map(|b| ComposeBytes(Bytes(b)))
    }
}

#[derive(Deserialize)]
struct K8sDoc {
    kind: String,
    metadata: K8sMeta,
    #[serde(default)]
    spec: Option<K8sSpec>,
}

#[derive(Deserialize)]
struct K8sMeta {
    name: String,
}

#[derive(Deserialize)]
struct K8sSpec {
    replicas: Option<u64>,
    template: Option<K8sTemplate>,
}

#[derive(Deserialize)]
struct K8sTemplate {
    spec: Option<K8sPodSpec>,
}

#[derive(Deserialize)]
struct K8sPodSpec {
    #[serde(default)]
    containers: Vec<K8sContainer>,
}

#[derive(Deserialize)]
struct K8sContainer {
    name: Option<String>,
    resources: Option<K8sResources>,
}

#[derive(Deserialize)]
struct K8sResources {
    limits: Option<K8sLimits>,
}

#[derive(Deserialize)]
struct K8sLimits {
    cpu: Option<Cpu>,
    memory: Option<K8sBytes>,
}

#[derive(Deserialize)]
struct ComposeFile {
    services: BTreeMap<String, Option<ComposeService>>,
}

#[derive(Deserialize)]
struct ComposeService {
    deploy: Option<ComposeDeploy>,
    cpus: Option<Cpu>,
    mem_limit: Option<ComposeBytes>,
}

#[derive(Deserialize)]
struct ComposeDeploy {
    replicas: Option<u64>,
    resources: Option<ComposeResources>,
}

#[derive(Deserialize)]
struct ComposeResources {
    limits: Option<ComposeLimits>,
}

#[derive(Deserialize)]
struct ComposeLimits {
    cpus: Option<Cpu>,
    memory: Option<ComposeBytes>,
}

fn yaml_err(file: &str, e: &serde_norway::Error) -> DiscoverError {
    let msg = e.to_string();
    match e.location() {
        Some(l) => {
            // The message ends with " at line L column C"; the position is given separately.
            let msg = match msg.rfind(" at line ") {
                Some(i) => msg[..i].to_string(),
                None => msg,
            };
            DiscoverError::At {
                file: file.into(),
                line: l.line(),
                column: l.column(),
                msg,
            }
        }
        None => DiscoverError::Format {
            file: file.into(),
            msg,
        },
    }
}

/// Reads a Kubernetes YAML or docker-compose file. A document with a top-level `services` map
/// is a compose file; one with `kind` is a Kubernetes object, of which Deployments and
/// StatefulSets are read and other kinds skipped (listed in [`Manifest::skipped`]).
///
/// # Errors
/// [`DiscoverError::At`] with the line and column of a YAML syntax error or a field of the wrong
/// type or value (the message names the field path); [`DiscoverError::Format`] for a document
/// that is neither, or a name declared twice.
pub fn parse(text: &str, file: &str) -> Result<Manifest, DiscoverError> {
    // First pass: which kind each document is.
    let mut kinds = Vec::new();
    for doc in serde_norway::Deserializer::from_str(text) {
        let v = serde_norway::Value::deserialize(doc).map_err(|e| yaml_err(file, &e))?;
        kinds.push(v);
    }
    let mut m = Manifest::default();
    for (i, (doc, v)) in serde_norway::Deserializer::from_str(text)
        .zip(&kinds)
        .enumerate()
    {
        let n = i + 1;
        if v.is_null() {
            continue;
        }
        if v.get("services").is_some() && v.get("kind").is_none() {
            let c = ComposeFile::deserialize(doc).map_err(|e| yaml_err(file, &e))?;
            for (name, s) in c.services {
                let d = compose_entry(s, file);
                in_range(&d, file, &format!("service `{name}`"), "deploy.replicas")?;
                insert(&mut m, file, name, d)?;
            }
        } else if let Some(kind) = v.get("kind").and_then(serde_norway::Value::as_str) {
            if kind != "Deployment" && kind != "StatefulSet" {
                let name = v
                    .get("metadata")
                    .and_then(|md| md.get("name"))
                    .and_then(serde_norway::Value::as_str)
                    .unwrap_or("?");
                m.skipped.push(format!(
                    "{file}: document {n}: {kind} `{name}` (not a workload)"
                ));
                continue;
            }
            let k = K8sDoc::deserialize(doc).map_err(|e| yaml_err(file, &e))?;
            let d = k8s_entry(&k, file, &mut m.notes);
            let what = format!("{} `{}`", k.kind, k.metadata.name);
            in_range(&d, file, &what, "spec.replicas")?;
            insert(&mut m, file, k.metadata.name, d)?;
        } else {
            return Err(DiscoverError::Format {
                file: file.into(),
                msg: format!(
                    "document {n}: neither a Kubernetes object (no `kind`) nor a docker-compose \
                     file (no `services`)"
                ),
            });
        }
    }
    Ok(m)
}

fn insert(m: &mut Manifest, file: &str, name: String, d: Deployed) -> Result<(), DiscoverError> {
    if m.entries.contains_key(&name) {
        return Err(DiscoverError::Format {
            file: file.into(),
            msg: format!("`{name}` declared twice"),
        });
    }
    m.entries.insert(name, d);
    Ok(())
}

/// A pod's limits are the sums of its containers' limits; when some container has no limit the
/// pod is not bounded by the others', so the figure is left unknown (with a note).
fn k8s_entry(k: &K8sDoc, file: &str, notes: &mut Vec<String>) -> Deployed {
    let containers = k
        .spec
        .as_ref()
        .and_then(|s| s.template.as_ref())
        .and_then(|t| t.spec.as_ref())
        .map_or(&[][..], |p| &p.containers[..]);
    let limits: Vec<Option<&K8sLimits>> = containers
        .iter()
        .map(|c| c.resources.as_ref().and_then(|r| r.limits.as_ref()))
        .collect();
    let name = &k.metadata.name;
    let mut sum = |what: &str, f: &dyn Fn(&K8sLimits) -> Option<f64>| -> Option<f64> {
        let vals: Vec<Option<f64>> = limits.iter().map(|l| l.and_then(f)).collect();
        if vals.is_empty() || vals.iter().all(Option::is_none) {
            return None;
        }
        if vals.iter().any(Option::is_none) {
            let missing: Vec<&str> = containers
                .iter()
                .zip(&vals)
                .filter(|(_, v)| v.is_none())
                .map(|(c, _)| c.name.as_deref().unwrap_or("?"))
                .collect();
            notes.push(format!(
                "{file}: {} `{name}`: container(s) {} have no {what} limit: the pod's {what} \
                 limit is unknown",
                k.kind,
                missing.join(", ")
            ));
            return None;
        }
        Some(vals.into_iter().flatten().sum())
    };
    let cores = sum("cpu", &|l| l.cpu.map(|c| c.0));
    let mem = sum("memory", &|l| l.memory.map(|b| b.0 .0 as f64));
    Deployed {
        file: file.into(),
        replicas: k.spec.as_ref().and_then(|s| s.replicas),
        cores,
        memory_bytes: mem.map(|b| b as u64),
    }
}

/// `deploy.*` wins over the legacy `cpus`/`mem_limit` when both are given.
fn compose_entry(s: Option<ComposeService>, file: &str) -> Deployed {
    let Some(s) = s else {
        return Deployed {
            file: file.into(),
            ..Deployed::default()
        };
    };
    let limits = s
        .deploy
        .as_ref()
        .and_then(|d| d.resources.as_ref())
        .and_then(|r| r.limits.as_ref());
    Deployed {
        file: file.into(),
        replicas: s.deploy.as_ref().and_then(|d| d.replicas),
        cores: limits.and_then(|l| l.cpus).or(s.cpus).map(|c| c.0),
        memory_bytes: limits
            .and_then(|l| l.memory)
            .or(s.mem_limit)
            .map(|b| b.0 .0),
    }
}

/// Refuses a replica count outside 1 to [`crate::spec::limits::MAX_REPLICAS`] (a service seen
/// in traces runs; CPU and memory limits are checked as they are read).
fn in_range(
    d: &Deployed,
    file: &str,
    what: &str,
    replicas_field: &str,
) -> Result<(), DiscoverError> {
    use crate::spec::limits::MAX_REPLICAS;
    let bad = |msg: String| {
        Err(DiscoverError::Format {
            file: file.into(),
            msg: format!("{what}: {msg}"),
        })
    };
    if let Some(r) = d.replicas {
        if r == 0 || r > MAX_REPLICAS as u64 {
            return bad(format!(
                "field `{replicas_field}`: expected 1 to {MAX_REPLICAS} (a service seen in traces runs), found {r}"
            ));
        }
    }
    Ok(())
}
