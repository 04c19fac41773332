//! Model edits of the application layer (`app::analysis::Edit`): each keeps comments, the
//! result is validated like any text, and an edit that cannot apply changes nothing.

use archsim::app::analysis::{dependents, edit, Edit};

const SHOP: &str = r#"# a small shop
name = "shop"
seed = 1
replications = 2
[workload]
duration = "60s"
warmup = "5s"
[[workload.entries]]
name = "browse"
op = "catalog.browse"
arrival = { process = "poisson", rate = 20 }
[[workload.entries]]
name = "pay"
op = "payments.charge"
arrival = { process = "poisson", rate = 5 }
[modules.catalog]
ops.browse = { cpu = "2ms", calls = [ { op = "db.read" } ] } # the catalog
[modules.orders]
ops.checkout = { cpu = "3ms", calls = [ { op = "payments.charge" }, { parallel = [ { op = "payments.charge" }, { op = "db.read" } ] } ] }
[modules.payments]
ops.charge = { cpu = "1ms" }
[datastores.db]
ops.read = { time = "1ms" }
[[variants]]
name = "monolith"
[[variants.units]]
name = "app" # the one unit
modules = ["catalog", "orders", "payments"]
replicas = 2
cores = 2
[[variants.databases]]
name = "main"
stores = ["db"]
"#;

fn apply(text: &str, e: Edit) -> archsim::app::analysis::Analysis {
    edit(text, "shop.toml".into(), None, &e).expect("edit applies")
}

#[test]
fn the_fixture_is_valid() {
    let a = apply(
        SHOP,
        Edit::RenameVariant {
            variant: "monolith".into(),
            name: "mono".into(),
        },
    );
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
    assert!(a.text.contains("name = \"mono\"\n"));
    assert!(a.text.contains("# the catalog") && a.text.contains("# the one unit"));
}

#[test]
fn a_call_drawn_between_two_operations_is_added_and_validated() {
    let a = apply(
        SHOP,
        Edit::AddCall {
            from: "catalog.browse".into(),
            to: "payments.charge".into(),
        },
    );
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
    assert!(
        a.text.contains(
            r#"calls = [ { op = "db.read" }, { op = "payments.charge" } ] } # the catalog"#
        ),
        "{}",
        a.text
    );
    // an operation without calls gets its first
    let b = apply(
        SHOP,
        Edit::AddCall {
            from: "payments.charge".into(),
            to: "db.read".into(),
        },
    );
    assert!(
        b.text
            .contains(r#"ops.charge = { cpu = "1ms", calls = [ { op = "db.read" } ] }"#),
        "{}",
        b.text
    );
    for (from, to, says) in [
        ("catalog.nope", "db.read", "no operation `catalog.nope`"),
        ("catalog.browse", "ghost.x", "no operation `ghost.x`"),
        ("catalog", "db.read", "is not `module.operation`"),
        ("payments.charge", "payments.charge", "cannot call itself"),
    ] {
        let e = edit(
            SHOP,
            "shop.toml".into(),
            None,
            &Edit::AddCall {
                from: from.into(),
                to: to.into(),
            },
        )
        .expect_err("refused");
        assert!(e.to_string().contains(says), "{e}");
    }
}

#[test]
fn deleting_a_module_lists_and_removes_what_depends_on_it() {
    let deps = dependents(SHOP, "payments", false).expect("deps");
    assert_eq!(
        deps,
        vec![
            "the calls from orders.checkout".to_string(),
            "the entry pay".to_string(),
            "its place in the unit app of monolith".to_string(),
        ]
    );
    let a = apply(
        SHOP,
        Edit::DeleteComponent {
            name: "payments".into(),
            datastore: false,
        },
    );
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
    assert!(!a.text.contains("payments"), "{}", a.text);
    // the parallel group keeps its other branch
    assert!(
        a.text
            .contains(r#"calls = [{ parallel = [{ op = "db.read" }] }]"#),
        "{}",
        a.text
    );
    assert!(a.text.contains(r#"modules = ["catalog", "orders"]"#));

    // a data store: the database left holding nothing goes with it
    let deps = dependents(SHOP, "db", true).expect("deps");
    assert!(
        deps.contains(
            &"the database main of monolith (removed: it holds nothing else)".to_string()
        ),
        "{deps:?}"
    );
    let b = apply(
        SHOP,
        Edit::DeleteComponent {
            name: "db".into(),
            datastore: true,
        },
    );
    assert!(
        !b.text.contains("[[variants.databases]]") && !b.text.contains("db.read"),
        "{}",
        b.text
    );
    assert!(b.diagnostics.is_empty(), "{:?}", b.diagnostics);
    let e = edit(
        SHOP,
        "shop.toml".into(),
        None,
        &Edit::DeleteComponent {
            name: "ghost".into(),
            datastore: false,
        },
    )
    .expect_err("no such module");
    assert!(e.to_string().contains("modules.ghost"), "{e}");
}

#[test]
fn a_unit_left_empty_by_a_move_can_be_deleted_and_one_in_use_cannot() {
    let split = apply(
        SHOP,
        Edit::MicroservicesVariant {
            variant: "monolith".into(),
            name: "services".into(),
        },
    );
    let moved = apply(
        &split.text,
        Edit::MoveModule {
            variant: "services".into(),
            module: "payments".into(),
            to_unit: "orders".into(),
        },
    );
    // the emptied unit is reported by the validation, not a dead end: it can be deleted
    assert!(!moved.diagnostics.is_empty());
    let fixed = apply(
        &moved.text,
        Edit::DeleteUnit {
            variant: "services".into(),
            unit: "payments".into(),
        },
    );
    assert!(fixed.diagnostics.is_empty(), "{:?}", fixed.diagnostics);
    let e = edit(
        &split.text,
        "shop.toml".into(),
        None,
        &Edit::DeleteUnit {
            variant: "services".into(),
            unit: "orders".into(),
        },
    )
    .expect_err("in use");
    assert!(e.to_string().contains("still runs orders"), "{e}");
}

#[test]
fn variants_are_duplicated_renamed_and_split_one_unit_per_module() {
    let dup = apply(
        SHOP,
        Edit::DuplicateVariant {
            variant: "monolith".into(),
            name: "copy".into(),
        },
    );
    assert!(dup.diagnostics.is_empty(), "{:?}", dup.diagnostics);
    assert_eq!(dup.topology.len(), 2);
    assert_eq!(dup.topology[1].variant, "copy");
    let e = edit(
        SHOP,
        "shop.toml".into(),
        None,
        &Edit::DuplicateVariant {
            variant: "monolith".into(),
            name: "monolith".into(),
        },
    )
    .expect_err("taken");
    assert!(e.to_string().contains("exists already"), "{e}");

    let ms = apply(
        SHOP,
        Edit::MicroservicesVariant {
            variant: "monolith".into(),
            name: "services".into(),
        },
    );
    assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
    let t = &ms.topology[1];
    let units: Vec<(&str, Vec<String>, u32)> = t
        .nodes
        .iter()
        .filter(|n| n.kind == archsim::app::topology::TopologyKind::Unit)
        .map(|n| (n.name.as_str(), n.modules.clone(), n.instances.unwrap_or(0)))
        .collect();
    // one unit per module, each with the monolith unit's 2 replicas
    assert_eq!(
        units,
        vec![
            ("catalog", vec!["catalog".to_string()], 2),
            ("orders", vec!["orders".to_string()], 2),
            ("payments", vec!["payments".to_string()], 2),
        ]
    );
    // the monolith is untouched, comments kept
    assert!(ms.text.contains("name = \"app\" # the one unit"));
}

#[test]
fn the_palette_adds_a_workflow_and_a_transaction_that_validate() {
    // A workflow with one task state, started by the first entry's operation (the palette's
    // edits, ui/src/features/editor/palette.ts).
    let a = apply(
        SHOP,
        Edit::SetValue {
            path: vec!["workflows".into()],
            value: serde_json::json!({ "workflow": { "mode": "standard", "start": "task",
                "states": { "task": { "type": "task", "op": "payments.charge" } } } }),
        },
    );
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
    let b = apply(
        &a.text,
        Edit::InsertItem {
            path: vec![
                "modules".into(),
                "catalog".into(),
                "ops".into(),
                "browse".into(),
                "calls".into(),
                1usize.into(),
            ],
            value: serde_json::json!({ "workflow": "workflow" }),
        },
    );
    assert!(b.diagnostics.is_empty(), "{:?}", b.diagnostics);
    assert!(
        b.text.contains(r#"{ workflow = "workflow" }"#),
        "{}",
        b.text
    );
    // Its cost estimate has the workflow's line: 20 starts/s × 1 transition.
    let wf = b.costs[0]
        .lines
        .iter()
        .find(|l| l.key == "workflow/workflow")
        .expect("a workflow line");
    let want = 20.0 * 730.0 * 3600.0 * 0.025 / 1000.0;
    assert!((wf.per_month_usd - want).abs() < 1e-6 * want, "{wf:?}");
    // A transaction with one step on a data store's operation taking a lock.
    let c = apply(
        SHOP,
        Edit::InsertItem {
            path: vec![
                "modules".into(),
                "catalog".into(),
                "ops".into(),
                "browse".into(),
                "calls".into(),
                1usize.into(),
            ],
            value: serde_json::json!({ "transaction": [ { "op": "db.read", "locks": ["row"] } ] }),
        },
    );
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    assert!(c.text.contains(r#"locks = ["row"]"#), "{}", c.text);
}

#[test]
fn a_microservices_variant_keeps_the_load_balancer_in_front_of_the_split_units() {
    // The online shop's monolith has an ALB in front of `shop`: split one unit per module,
    // the balancer fronts the four new units and the scenario stays valid.
    let text = std::fs::read_to_string(crate::common::root().join("scenarios/online-shop.toml"))
        .expect("online shop");
    let split = apply(
        &text,
        Edit::MicroservicesVariant {
            variant: "monolith".into(),
            name: "split".into(),
        },
    );
    assert!(split.diagnostics.is_empty(), "{:?}", split.diagnostics);
    let s = archsim::scenario::parse(&split.text, "shop.toml").expect("valid");
    let v = s
        .variants
        .iter()
        .find(|v| v.name == "split")
        .expect("split");
    let lb = &v.load_balancers[0];
    let fronted: Vec<&str> = lb.units.iter().map(|&u| v.units[u].name.as_str()).collect();
    assert_eq!(fronted, ["catalog", "orders", "payments", "inventory"]);
}
