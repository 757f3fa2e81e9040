//! The reader of `queue`: the SQS queue and the worker's event source
//! mapping (`queue_worker`). In its own file beside `sections.rs`, which
//! holds the other components' readers.

use super::super::components::{Queue, defaults};
use super::super::limits::queue as q;
use super::super::validate;
use super::{Decoder, Section};

impl Decoder {
    pub fn queue(&mut self, top: &mut Section<'_>) -> Option<Queue> {
        let mut s = self.required_section(top, "queue", "{ type: standard, visibility_timeout: 6m }")?;
        let kind = self.optional(&mut s, "type", defaults::queue_type(), None);
        let visibility_timeout =
            self.optional(&mut s, "visibility_timeout", q::VISIBILITY_DEFAULT.value, Some(q::VISIBILITY_DEFAULT.source));
        let retention = self.optional(&mut s, "retention", q::RETENTION_DEFAULT.value, Some(q::RETENTION_DEFAULT.source));
        let max_receives = self.maybe(&mut s, "max_receives");
        let batch_size = self.optional(&mut s, "batch_size", q::BATCH_SIZE_DEFAULT.value, Some(q::BATCH_SIZE_DEFAULT.source));
        let batching_window = self.optional(&mut s, "batching_window", defaults::batching_window(), None);
        let max_concurrency = self.maybe(&mut s, "max_concurrency");
        self.finish(s);
        let queue = Queue {
            kind: kind?,
            visibility_timeout: visibility_timeout?,
            retention: retention?,
            max_receives: max_receives?,
            batch_size: batch_size?,
            batching_window: batching_window?,
            max_concurrency: max_concurrency?,
        };
        validate::queue(&mut self.validator(), &queue);
        Some(queue)
    }
}
