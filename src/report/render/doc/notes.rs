//! The notes: how to read the numbers, the statistics, the passes and
//! repairs, and the warnings.

use std::collections::BTreeMap;

use crate::report::analyse::Analysis;
use crate::report::analyse::decide::AVOID_RATIO;
use crate::report::analyse::stats::FLOOR_FACTOR;
use crate::report::fmt::fmt_num;
use crate::report::input::criterion::Estimator;
use crate::report::render::doc::{Block, Inline, Line, rich, text};

/// How many cell-passes the main job measured again, and why.
fn repairs_note(r: &Analysis) -> String {
    let (cell_passes, repaired) = r.repairs;
    format!(
        "Repairs: {} of {} cell-passes (a scenario at one thread count in one pass) were \
         measured again, all their strategies together in a fresh order, because one of \
         their {} fastest strategies ran more than {}x off its median over the passes there \
         (a phase of the host landing on part of a cell); at most {} rounds, the last {} of \
         them checks that measure again only what is still more than {}x off, and the new \
         measurement replaces the old. Only the main job repairs, with 3 or more passes.",
        repaired,
        cell_passes,
        crate::report::analyse::repair::LEADERS,
        crate::report::analyse::repair::STRAY,
        crate::harness::passes::REPAIR_ROUNDS,
        crate::harness::passes::REPAIR_ROUNDS - crate::report::analyse::repair::STRAY_ROUNDS,
        crate::report::analyse::repair::SEVERE,
    )
}

/// Appends the section to `out`.
pub fn section(r: &Analysis, out: &mut Vec<Block>) {
    out.push(Block::Heading {
        level: 2,
        id: Some("notes".into()),
        text: vec![text("Notes")],
    });
    let mut by: BTreeMap<Estimator, usize> = BTreeMap::new();
    let mut levels: BTreeMap<String, usize> = BTreeMap::new();
    for p in r.model.points() {
        *by.entry(p.estimator).or_default() += 1;
        *levels
            .entry(format!("{:.0}%", p.confidence_level * 100.0))
            .or_default() += 1;
    }
    let est: Vec<String> = by
        .iter()
        .map(|(e, n)| format!("{} for {n}", e.as_str()))
        .collect();
    let lv: Vec<String> = levels.keys().cloned().collect();
    let mut notes: Vec<Line> = vec![
        rich(&format!(
            "Throughput = operations per iteration x 1e9 / criterion's time per iteration (ns); \
             the interval bounds are inverted the same way. The estimate is criterion's `slope` \
             (linear-sampling regression) where it has one, else its `mean`: {} of {} results.",
            est.join(", "),
            r.model.results()
        )),
        rich(&format!(
            "Passes: {}. The main job (`scripts/bench.sh`) measures every benchmark id in \
             several independent passes, minutes apart, each with its own seeded order of \
             strategies, because a VM's slow phases outlast one measurement window: criterion's \
             interval alone misses them. A strategy's figure is the geometric mean of its \
             passes; its range spans every pass's {} interval, so it covers the drift between \
             passes too.",
            crate::report::render::doc::passes_phrase(r),
            lv.join(", ")
        )),
        rich(&format!(
            "Adaptive passes: every id costs the same measurement window whatever its \
             speed, so the main job spends passes where a verdict is still open. After pass \
             {after}, every strategy that ran at least {factor:.0}x slower than its cell's best \
             (off the harness floor) in each of those passes is screened out of the later \
             passes and the repairs: a rendezvous channel next to a buffered one. From pass \
             {look} on, the job looks at every cell after every pass: a cell whose verdict is \
             settled (a winner, a family, a floor group ahead, or no practical difference) \
             gets no more passes, nor do the contenders the best is clearly ahead of, and the \
             rest get the next pass, up to the run's planned passes and its time budget. A \
             look before the last pass takes its verdict with a stricter interval (Student's \
             t at 99.9 % instead of 97.5 %, and no order bound), so looking often does not \
             make verdicts less honest: on synthetic replicates of two equal strategies, looks \
             after passes 3-6 with up to seven passes name a false winner no more often than \
             five fixed passes. Every verdict rests on the passes its cell has. This run: {n} \
             results left out of their cell's later passes, {settled} results in {cells} cells \
             settled on a look.",
            after = crate::report::analyse::screen::AFTER,
            look = crate::report::analyse::settle::MIN_PASSES,
            factor = crate::report::analyse::screen::FACTOR,
            n = r.screened,
            settled = r.settled,
            cells = r.settled_cells,
        )),
        rich(&format!(
            "Winner: it must lead the runner-up in every pass, and its margin over every other \
             contender, paired pass by pass (in one pass both ran seconds apart), must be at \
             least {:.2}x, with a Student-t interval of the per-pass ratios from {:.2}x (that \
             interval uses the larger of the spread between passes and the noise inside them). \
             Not just above 1: a whole run drifts as well, which no interval from one run's \
             passes can see. In pairs of default runs of one commit on the reference VM, the \
             cells that were a winner in one run and a tie in the other had about the same \
             margin in both, and the verdict turned on whether one pass or the interval's low \
             end cleared a bar; a bar on the margin itself is what a second run reproduces. \
             Otherwise: tie. With {} or more passes the smallest \
             per-pass ratio counts as a lower end too: one wild pass in the winner's favour \
             would otherwise stretch the t interval below 1 although the winner led every \
             time, and all five passes above the typical ratio happen 1 time in 32. A \
             contender screened out far behind after the first passes ties with nobody. With \
             one pass (plain `cargo bench`) the \
             winner's interval must clear every other's by as much, a weaker test, marked \
             \"(one pass)\". A tie among strategies of one family (two spinlocks, two \
             lock-free queues) is that family's win when its best member beats every other \
             family's contenders by the same test (the best of them in every pass): the row \
             reads \"any <family>\", and its runner-up and margin are the best contender of \
             another family. The question is which kind of primitive to use, and that answer \
             holds even when two crates' versions of it cannot be told apart.",
            crate::report::analyse::stats::PRACTICAL_MARGIN,
            crate::report::analyse::stats::INTERVAL_MARGIN,
            crate::report::analyse::stats::ORDER_PASSES
        )),
        rich(&format!(
            "Three verdicts, one margin ({pm:.2}x, the smallest difference worth acting on, \
             used both ways as equivalence tests do). A **winner** is faster by at least the \
             margin (above): use it. **No practical difference** (\"any of A, B, C, within \
             1.12x, proven here\"): each named strategy, paired pass by pass with the best, has \
             the upper end of its ratio interval below {pm:.2}x, and every other contender is \
             clearly behind: any of them will do, and the row says within how much. **Unclear** \
             (\"unclear: A, B\"): this machine cannot tell the named strategies apart within \
             the margin (the best two may be 1.2x apart, with an interval from 0.95x to 1.6x); \
             only this verdict leaves a cell unanswered. A family's win and a floor group \
             ahead of the rest answer a cell as a winner does. The rules count a cell with no \
             practical difference as a tie.",
            pm = crate::report::analyse::stats::PRACTICAL_MARGIN
        )),
        rich(&format!(
            "The pick per situation: for every strategy measured in the most cells of the \
             situation (every variant, every thread count), its regret in a cell is the \
             cell's best throughput over its own; the pick is the strategy whose worst regret \
             is smallest (then the smallest geometric mean). When that worst is {pm:.2}x or \
             more and a strategy measured in fewer cells has a smaller worst regret over its \
             cells than the pick has there, it leads \"where it applies\" and the other cells \
             get their own pick by the same rule, if that lowers the worst regret (of several \
             such strategies, the one giving the smallest). \"Unless\" lists the cells where \
             the best beats the pick that applies there by at least {pm:.2}x and beyond the \
             interval, largest first.",
            pm = crate::report::analyse::stats::PRACTICAL_MARGIN
        )),
        rich(&repairs_note(r)),
        rich(&format!(
            "Margin = winner / runner-up, with its paired interval. Avoid = at least \
             {AVOID_RATIO:.0}x slower than the winner."
        )),
        rich(&format!(
            "Harness floor: the no-op costs {} ns per operation at one thread ({}); a \
             strategy within {FLOOR_FACTOR:.0}x of that, divided by min(threads, {} CPUs), is \
             at the floor. Its speed is the harness loop's code generation, not \
             synchronization, so floor strategies are named together, never ranked among \
             themselves, and only their margin over the best strategy off the floor is given.",
            fmt_num(r.floor.noop_ns),
            if r.floor.measured {
                "measured in `counter/overhead`"
            } else {
                "not measured in this run: an assumed value"
            },
            r.floor.cpus
        )),
        rich(&format!(
            "What to use: for each situation (a list of scenario groups, one table in code: \
             `report::analyse::advice::SITUATIONS`) and each part of the thread axis (1 thread; 2 to \
             the {cpus} CPUs the run could use; more than {cpus}, oversubscribed), the cells \
             are that situation's scenarios at those thread counts. A cell with a clear winner \
             counts for it, no practical difference for \"any of\" the strategies it names, an \
             unclear tie for \"unclear\" and the strategies it names, strategies at the \
             harness floor for \"any of\" them \"at the harness floor\"; a cell without a \
             contender does not count. When every cell says the same, that is the answer, with \
             the range of its margins over the runner-up and over the best strategy of the \
             side the situation's first rule recommends (\"the guide's pick\" when the winner \
             is on that side); otherwise each answer is listed with where it holds (the \
             scenarios or thread counts it covers), largest first. A part of the axis without \
             a measured thread count shows \"-\". Avoid: every strategy at least \
             {AVOID_RATIO:.0}x slower than a cell's winner, with in how many of the cells \
             where it was measured. The guide's verdict is restated on the situation's cells; \
             many-to-one and many-to-many hand-off are separate rows, because consumers \
             contend only in the second.",
            cpus = r.floor.cpus
        )),
        rich(
            "Winner maps: per question (counter increment, counter read-mostly, map; one \
             table in code: `report::render::winner_map::QUESTIONS`), threads across and \
             contention up: private work between operations for counter/increment (hot = 0, \
             warm = ~100 ns, then by duration), the share of reads for the others, one map per \
             key distribution. A cell is its scenario's row at that thread count.",
        ),
        rich(
            "Winner CPU ns/op comes from the harness's instrumented round of every pass \
             (sidecars, median over passes): CPU time per operation of every thread the \
             strategy uses (pool workers, an actor's owner thread, rayon's pool, pipeline \
             stages), which exposes spinning that adds no throughput.",
        ),
        rich(
            "Rule verdicts compare the best strategy of the recommended families against the \
             best of the alternative families in every cell where both were measured; results \
             without a sidecar (which names the family) are left out of verdicts. Confirmed: \
             every decided cell supports the rule; contradicted: every one goes against it; \
             depends: both, with the condition. A verdict must survive leaving out any one \
             cell, so a single decided cell against two or more on the other side is named as \
             the exception (\"except ...\") and does not make the rule depend.",
        ),
        rich(
            "Charts: throughput vs threads on log-log axes, bands spanning every pass's \
             interval; a scenario measured at one thread count is drawn as horizontal bars \
             sorted by throughput (log axis, whiskers over the interval, reference strategies \
             hatched). Each has a cost chart beside it: CPU time per operation, median over \
             passes, band or whiskers from the lowest to the highest pass. PNG text is drawn \
             with the embedded DejaVu Sans; SVG text uses the viewer's sans-serif.",
        ),
        rich(
            "Chart colours: colour is the family, from Paul Tol's colour-blind-safe \"muted\" \
             palette (the no-sharing limit black, baselines dark grey; park and barrier reuse \
             the colours of data-parallel and sharded, which never share their workload, with \
             a dashed line); members of a family differ by marker shape and line style, so \
             every line is told apart in greyscale too.",
        ),
        rich(
            "Regenerate: `cargo bench` (or `cargo bench --bench <workload>`), then \
             `cargo run --release --bin report`. Machine-readable results: ",
        ),
    ];
    if let Some(last) = notes.last_mut() {
        last.push(Inline::Link("results.json".into(), "results.json".into()));
        last.push(text(", "));
        last.push(Inline::Link("results.csv".into(), "results.csv".into()));
        last.push(text("."));
    }
    out.push(Block::List(notes));
    if !r.warnings.is_empty() {
        out.push(Block::Heading {
            level: 3,
            id: Some("warnings".into()),
            text: vec![text(format!("Warnings ({})", r.warnings.len()))],
        });
        out.push(Block::List(
            r.warnings.iter().map(|w| vec![text(w.clone())]).collect(),
        ));
    }
}
