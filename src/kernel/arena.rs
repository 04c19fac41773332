//! A slab of values addressed by generation-checked ids.

use std::marker::PhantomData;

/// A handle to a value in an [`Arena`]: a slot index and the generation of the slot when the
/// value was inserted. A handle to a removed value never aliases the value that reuses its slot.
pub struct Id<T> {
    index: u32,
    generation: u32,
    _marker: PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    /// A handle that never resolves (generation 0 is never issued).
    pub const NONE: Id<T> = Id {
        index: u32::MAX,
        generation: 0,
        _marker: PhantomData,
    };

    /// Whether this is [`Id::NONE`].
    #[inline]
    pub fn is_none(self) -> bool {
        self.generation == 0
    }

    /// Packs the handle into 64 bits (for opaque job handles).
    #[inline]
    pub fn to_bits(self) -> u64 {
        ((self.index as u64) << 32) | self.generation as u64
    }

    /// Unpacks a handle packed by [`Id::to_bits`].
    #[inline]
    pub fn from_bits(bits: u64) -> Id<T> {
        Id {
            index: (bits >> 32) as u32,
            generation: bits as u32,
            _marker: PhantomData,
        }
    }

    /// The slot index (stable while the value lives).
    #[inline]
    pub fn index(self) -> u32 {
        self.index
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index && self.generation == other.generation
    }
}
impl<T> Eq for Id<T> {}
impl<T> std::fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Id({}#{})", self.index, self.generation)
    }
}

struct Slot<T> {
    /// Odd while the slot holds a live value, even while it is free. Handles carry the (odd)
    /// generation of the value they were issued for, so a generation match means "live and the
    /// same value" in one comparison.
    generation: u32,
    value: T,
}

/// A slab: O(1) insert, remove and lookup; freed slots are reused (LIFO), so after warm-up the
/// arena stops allocating. Lookups check the generation, so stale handles are detected.
///
/// Values are `Copy`: a freed slot keeps its last value (never read again) instead of wrapping
/// every slot in an `Option`.
pub struct Arena<T: Copy> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    len: usize,
}

impl<T: Copy> Default for Arena<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Copy> Arena<T> {
    /// An empty arena.
    pub fn new() -> Self {
        Arena {
            slots: Vec::new(),
            free: Vec::new(),
            len: 0,
        }
    }

    /// Number of live values.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no value is live.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Slots ever allocated (the high-water mark of live values).
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Stores `value` and returns its handle.
    #[inline]
    pub fn insert(&mut self, value: T) -> Id<T> {
        self.len += 1;
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            // Even (free) → next odd; wrapping skips 0, which `Id::NONE` uses.
            slot.generation = slot.generation.wrapping_add(1).max(1);
            slot.value = value;
            Id {
                index,
                generation: slot.generation,
                _marker: PhantomData,
            }
        } else {
            let index = self.slots.len() as u32;
            self.slots.push(Slot {
                generation: 1,
                value,
            });
            Id {
                index,
                generation: 1,
                _marker: PhantomData,
            }
        }
    }

    /// The value behind `id`, if it is still live.
    #[inline]
    pub fn get(&self, id: Id<T>) -> Option<&T> {
        match self.slots.get(id.index as usize) {
            Some(slot) if slot.generation == id.generation => Some(&slot.value),
            _ => None,
        }
    }

    /// The value behind `id`, mutably, if it is still live.
    #[inline]
    pub fn get_mut(&mut self, id: Id<T>) -> Option<&mut T> {
        match self.slots.get_mut(id.index as usize) {
            Some(slot) if slot.generation == id.generation => Some(&mut slot.value),
            _ => None,
        }
    }

    /// Removes and returns the value behind `id`, if it is still live.
    #[inline]
    pub fn remove(&mut self, id: Id<T>) -> Option<T> {
        let slot = self.slots.get_mut(id.index as usize)?;
        if slot.generation != id.generation {
            return None;
        }
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(id.index);
        self.len -= 1;
        Some(slot.value)
    }

    /// Iterates over live values with their handles, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (Id<T>, &T)> {
        self.slots.iter().enumerate().filter_map(|(i, s)| {
            (s.generation % 2 == 1).then_some((
                Id {
                    index: i as u32,
                    generation: s.generation,
                    _marker: PhantomData,
                },
                &s.value,
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_ids_do_not_resolve() {
        let mut a = Arena::new();
        let x = a.insert(1);
        assert_eq!(a.remove(x), Some(1));
        let y = a.insert(2);
        assert_eq!(x.index(), y.index());
        assert_eq!(a.get(x), None);
        assert_eq!(a.get(y), Some(&2));
        assert_eq!(a.remove(x), None);
        assert_eq!(a.len(), 1);
        assert!(Id::<i32>::NONE.is_none());
        assert_eq!(a.get(Id::NONE), None);
    }

    #[test]
    fn slots_are_reused() {
        let mut a = Arena::new();
        for round in 0..100 {
            let ids: Vec<_> = (0..10).map(|i| a.insert(round * 10 + i)).collect();
            for id in ids {
                a.remove(id);
            }
        }
        assert_eq!(a.capacity(), 10);
        assert!(a.is_empty());
    }
}
