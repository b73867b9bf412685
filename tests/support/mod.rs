//! Deliberately broken queues shared by the hand-off and pipeline tests:
//! crossbeam's channel, but [`Lossy`] drops every 1000th message and
//! [`Duplicating`] sends every 1000th one twice. The drivers must catch
//! both, or the tests that pass could not fail.

#![allow(dead_code)] // each test target uses a different subset

use std::any::Any;

use syncbench::channels::Crossbeam;
use syncbench::handoff::channel::Chan;
use syncbench::handoff::{Capacity, Queue};
use syncbench::harness::Family;

/// Drops every 1000th message; the round then times out naming it.
pub struct Lossy;
/// Sends every 1000th message twice; the checksums then fail.
pub struct Duplicating;

type Inner = Chan<Crossbeam>;

/// A copy of `v` for the message types the tests send (`u64` hand-off
/// messages and `Option<u64>` pipeline jobs); `None` for any other type.
fn copy_of<T: 'static>(v: &T) -> Option<T> {
    let any = v as &dyn Any;
    let copy: Box<dyn Any> = if let Some(&x) = any.downcast_ref::<u64>() {
        Box::new(x)
    } else if let Some(&x) = any.downcast_ref::<Option<u64>>() {
        Box::new(x)
    } else {
        return None;
    };
    copy.downcast::<T>().ok().map(|b| *b)
}

macro_rules! faulty_queue {
    ($ty:ty, $name:literal, |$q:ident, $p:ident, $v:ident| $send:block) => {
        impl Queue for $ty {
            const FAMILY: Family = Family::Channel;
            type Shared<T: Send + 'static> = <Inner as Queue>::Shared<T>;
            type Producer<T: Send + 'static> = (<Inner as Queue>::Producer<T>, u64);
            type Consumer<T: Send + 'static> = <Inner as Queue>::Consumer<T>;

            fn name(_: Capacity) -> String {
                $name.to_string()
            }
            fn offers(cap: Capacity, multi_consumer: bool) -> bool {
                Inner::offers(cap, multi_consumer)
            }
            fn new<T: Send + 'static>(cap: Capacity) -> Self::Shared<T> {
                Inner::new(cap)
            }
            fn producer<T: Send + 'static>(q: &Self::Shared<T>) -> Self::Producer<T> {
                (Inner::producer(q), 0)
            }
            fn consumer<T: Send + 'static>(q: &Self::Shared<T>) -> Self::Consumer<T> {
                Inner::consumer(q)
            }
            fn send<T: Send + 'static>($q: &Self::Shared<T>, $p: &mut Self::Producer<T>, $v: T) {
                $p.1 += 1;
                $send
            }
            fn recv<T: Send + 'static>(q: &Self::Shared<T>, c: &mut Self::Consumer<T>) -> T {
                Inner::recv(q, c)
            }
        }
    };
}

faulty_queue!(Lossy, "lossy", |q, p, v| {
    if !p.1.is_multiple_of(1000) {
        Inner::send(q, &mut p.0, v);
    }
});

faulty_queue!(Duplicating, "duplicating", |q, p, v| {
    if p.1.is_multiple_of(1000)
        && let Some(copy) = copy_of(&v)
    {
        Inner::send(q, &mut p.0, copy);
    }
    Inner::send(q, &mut p.0, v);
});
