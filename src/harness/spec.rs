//! Strategy lists: each workload keeps ONE list of its strategies, a
//! function that declares a [`Spec`] per strategy to a [`Declare`]. The bench
//! target passes its criterion group (which queues each spec as a benchmark
//! id); the tests pass a checker (which builds each system and runs the
//! workload's correctness body). Adding a strategy to the list therefore
//! adds both its benchmark and its correctness test.
//!
//! A [`Spec`] carries the strategy id and family taken from the same type
//! its system is built from, inside the workload module, so a benchmark id
//! cannot be paired with the wrong system.

use std::borrow::Cow;
use std::collections::HashSet;

use super::{Family, Strategy, System};

/// One benchmark id's system, declared before it is built: the strategy id
/// (criterion's function name), its family, the benchmark parameter, and how
/// to build the system (lazily: a filtered-out id costs nothing).
pub struct Spec<F> {
    name: Cow<'static, str>,
    family: Family,
    parameter: usize,
    build: F,
}

impl<Sys: System, F: FnOnce() -> Sys> Spec<F> {
    /// Strategy `S`'s system, built by `build`, at benchmark parameter
    /// `parameter`. For the workload modules, which build the system from
    /// `S` itself.
    pub(crate) fn of<S: Strategy>(parameter: usize, build: F) -> Spec<F> {
        Spec {
            name: Cow::Borrowed(S::NAME),
            family: S::FAMILY,
            parameter,
            build,
        }
    }

    /// A system under a computed strategy id (a queue flavour's id carries
    /// its capacity). For the workload modules, which compute the id from the
    /// type the system is built from.
    pub(crate) fn named(name: String, family: Family, parameter: usize, build: F) -> Spec<F> {
        Spec {
            name: Cow::Owned(name),
            family,
            parameter,
            build,
        }
    }

    /// The strategy id: criterion's function name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The strategy's family.
    pub fn family(&self) -> Family {
        self.family
    }

    /// The benchmark parameter (the thread-axis value).
    pub fn parameter(&self) -> usize {
        self.parameter
    }

    /// Builds the system (spawns its threads, prefills its structure).
    pub fn build(self) -> Sys {
        (self.build)()
    }

    /// Id, family, parameter and builder, for the bench glue.
    pub fn into_parts(self) -> (String, Family, usize, F) {
        (
            self.name.into_owned(),
            self.family,
            self.parameter,
            self.build,
        )
    }
}

impl<S: Strategy + System, F: FnOnce() -> S> Spec<F> {
    /// A strategy that is its own system (a rayon pool, a hand-written
    /// loop): the id comes from the type `build` returns.
    pub fn system(parameter: usize, build: F) -> Spec<F> {
        Spec::of::<S>(parameter, build)
    }
}

/// Receives the systems a strategy list declares, in the list's order.
///
/// Builders are plain data (thread counts, configurations) moved into a
/// closure: `Send`, so that a checker may build a system on another thread,
/// and `'static`, so that the bench glue may queue it.
pub trait Declare {
    /// Takes one declaration.
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    );
}

/// A [`Declare`] that passes on only the strategies named in `names`: a
/// subset of a workload's one list (the winner maps' extra contention levels
/// measure the best of each family, not every strategy).
pub struct Only<'a, D> {
    /// Where the named strategies go.
    pub d: &'a mut D,
    /// The strategy ids to keep.
    pub names: &'a [&'a str],
}

impl<D: Declare> Declare for Only<'_, D> {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        if self.names.contains(&spec.name()) {
            self.d.declare(spec);
        }
    }
}

/// A [`Declare`] that passes every strategy on to `d` except those named.
pub struct Except<'a, D> {
    /// Where the other strategies go.
    pub d: &'a mut D,
    /// The strategy ids to leave out.
    pub names: &'a [&'a str],
}

impl<D: Declare> Declare for Except<'_, D> {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        if !self.names.contains(&spec.name()) {
            self.d.declare(spec);
        }
    }
}

/// One declaration's id, as recorded by [`Ids`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Id {
    /// The strategy id (criterion's function name).
    pub name: String,
    /// The strategy's family.
    pub family: Family,
    /// The benchmark parameter.
    pub parameter: usize,
}

/// A [`Declare`] that records each declaration's id and builds nothing.
#[derive(Clone, Debug, Default)]
pub struct Ids(pub Vec<Id>);

impl Declare for Ids {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        self.0.push(Id {
            name: spec.name().to_string(),
            family: spec.family(),
            parameter: spec.parameter(),
        });
    }
}

impl Ids {
    /// The ids `list` declares.
    pub fn of(list: impl FnOnce(&mut Ids)) -> Ids {
        let mut ids = Ids::default();
        list(&mut ids);
        ids
    }

    /// Checks that the list declared something, that every id is non-empty,
    /// and that no id is declared twice at one parameter (criterion would
    /// measure it twice under one name).
    pub fn check(&self) -> Result<(), String> {
        if self.0.is_empty() {
            return Err("the list declares nothing".to_string());
        }
        let mut seen = HashSet::new();
        for id in &self.0 {
            if id.name.trim().is_empty() {
                return Err(format!("an empty strategy id ({id:?})"));
            }
            if !seen.insert((id.name.as_str(), id.parameter)) {
                return Err(format!(
                    "`{}` is declared twice at parameter {}",
                    id.name, id.parameter
                ));
            }
        }
        Ok(())
    }

    /// The ids' names, in declaration order.
    pub fn names(&self) -> Vec<&str> {
        self.0.iter().map(|id| id.name.as_str()).collect()
    }
}
