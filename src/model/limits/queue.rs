//! SQS queues and Lambda's SQS event source mapping (../shared/aws-facts.md,
//! addendum 2026-12-06 §3 and §4), read 2026-12-07. Each limit names AWS's page.

use super::{Confidence, Limit, ReadOn, Source};
use crate::units::{Duration, Size};

use Confidence::{ThirdParty, Verified};

/// The date these figures were read.
const READ: ReadOn = ReadOn("2026-12-07");

const VISIBILITY: &str = "AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html";
const MESSAGE_QUOTAS: &str = "AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html";
const ESM_PARAMETERS: &str = "lambda/latest/dg/services-sqs-parameters.html";
const ESM_CONFIGURE: &str = "lambda/latest/dg/services-sqs-configure.html";
const SCALING_CONFIG: &str = "lambda/latest/api/API_ScalingConfig.html";
const ONE_MB: &str =
    "aws.amazon.com/blogs/compute/more-room-to-build-serverless-services-now-support-payloads-up-to-1-mb";
const SQS_INTEGRATIONS: &str = "apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html";
const STREAMING: &str = "apigateway/latest/developerguide/response-transfer-mode.html";

/// The largest message SQS takes (1,048,576 bytes), and so the largest body the API can enqueue.
pub const MESSAGE_MAX: Limit<Size> =
    READ.limit(Size::from_mib(1), "an SQS message is at most 1 MiB (1,048,576 bytes)", ONE_MB, Verified);
/// Visibility timeout: 0 s to 12 hours, default 30 s.
pub const VISIBILITY_MAX: Limit<Duration> =
    READ.limit(Duration::from_secs(12 * 3600), "an SQS visibility timeout is 0 s to 12 hours", VISIBILITY, Verified);
pub const VISIBILITY_DEFAULT: Limit<Duration> =
    READ.limit(Duration::from_secs(30), "an SQS queue's default visibility timeout is 30 s", VISIBILITY, Verified);
/// Retention: 60 s to 14 days, default 4 days.
pub const RETENTION_MIN: Limit<Duration> =
    READ.limit(Duration::from_secs(60), "SQS keeps a message 60 s to 14 days (1,209,600 s)", MESSAGE_QUOTAS, Verified);
pub const RETENTION_MAX: Limit<Duration> = READ.limit(
    Duration::from_secs(14 * 24 * 3600),
    "SQS keeps a message 60 s to 14 days (1,209,600 s)",
    MESSAGE_QUOTAS,
    Verified,
);
pub const RETENTION_DEFAULT: Limit<Duration> =
    READ.limit(Duration::from_secs(4 * 24 * 3600), "SQS keeps a message 4 days by default", MESSAGE_QUOTAS, Verified);
/// A redrive policy's `maxReceiveCount`: 1 to 1,000. AWS's API reference
/// names the attribute without its range; the range is the one AWS's own
/// Modern Data Architecture Accelerator validates (aws.github.io), so it is
/// marked third-party.
pub const MAX_RECEIVES_MIN: Limit<u32> = READ.limit(
    1,
    "a redrive policy's maxReceiveCount is 1 to 1,000 (range as AWS's MDAA validates it, aws.github.io/modern-data-architecture-accelerator)",
    "AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html",
    ThirdParty,
);
pub const MAX_RECEIVES_MAX: Limit<u32> = Limit { value: 1000, source: MAX_RECEIVES_MIN.source };
/// The event source mapping's batch size: default 10, at most 10,000 from a standard queue, 10 from FIFO.
pub const BATCH_SIZE_DEFAULT: Limit<u32> =
    READ.limit(10, "an SQS event source mapping's BatchSize defaults to 10", ESM_PARAMETERS, Verified);
pub const BATCH_SIZE_MIN: Limit<u32> =
    READ.limit(1, "an SQS event source mapping's BatchSize is 1 to 10,000 (standard) or 10 (FIFO)", ESM_PARAMETERS, Verified);
pub const BATCH_SIZE_STANDARD_MAX: Limit<u32> = Limit { value: 10_000, source: BATCH_SIZE_MIN.source };
pub const BATCH_SIZE_FIFO_MAX: Limit<u32> = Limit { value: 10, source: BATCH_SIZE_MIN.source };
/// The batching window: 0 to 300 s, not for FIFO; a batch size above 10 needs at least 1 s.
pub const WINDOW_MAX: Limit<Duration> = READ.limit(
    Duration::from_secs(300),
    "MaximumBatchingWindowInSeconds is 0 to 300 s, not for FIFO queues; a BatchSize above 10 needs at least 1 s",
    ESM_PARAMETERS,
    Verified,
);
/// The event source mapping's maximum concurrency: 2 to 1,000.
pub const MAX_CONCURRENCY_MIN: Limit<u32> =
    READ.limit(2, "ScalingConfig.MaximumConcurrency is 2 to 1,000", SCALING_CONFIG, Verified);
pub const MAX_CONCURRENCY_MAX: Limit<u32> = Limit { value: 1000, source: MAX_CONCURRENCY_MIN.source };
/// The most batches one SQS event source mapping processes at once.
pub const ESM_BATCHES_MAX: Limit<u32> = READ.limit(
    1000,
    "the maximum number of batches an SQS event source mapping can process simultaneously is 1,000",
    "lambda/latest/dg/services-sqs-scaling.html",
    Verified,
);
/// Lambda refuses a mapping whose function timeout is above the queue's visibility timeout.
pub const TIMEOUT_WITHIN_VISIBILITY: Source = READ.source(
    "Lambda rejects an SQS event source mapping whose function timeout exceeds the queue's visibility timeout",
    ESM_CONFIGURE,
    Verified,
);
/// AWS's recommendation (not a refusal): visibility at least six times the function timeout.
pub const SIX_TIMEOUTS: Limit<u32> = READ.limit(
    6,
    "set the queue's visibility timeout to at least six times the function timeout, so retries after throttling are not processed twice",
    ESM_CONFIGURE,
    Verified,
);
/// API Gateway integrates SQS as an AWS service integration (SendMessage): not a WebSocket route's.
pub const API_ENQUEUES: Source = READ.source(
    "API Gateway sends each request to SQS through an AWS service integration (REST: Action=SendMessage; HTTP API: SQS-SendMessage) and answers it at once, so no WebSocket reaches the worker",
    SQS_INTEGRATIONS,
    Verified,
);
/// REST response streaming takes `HTTP_PROXY` and `AWS_PROXY` integrations only, so never an SQS integration.
pub const NO_STREAM_TO_SQS: Source = READ.source(
    "REST response streaming works with HTTP_PROXY and AWS_PROXY integrations only, not an AWS service integration such as SQS",
    STREAMING,
    Verified,
);
/// What import reads when a template leaves the queue's type out: a standard queue.
pub const STANDARD_WHEN_LEFT_OUT: Source = READ.source(
    "a queue whose template sets no `FifoQueue` is a standard queue",
    "AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html",
    Verified,
);
/// What import reads when a mapping leaves its batching window out: 0 s.
pub const WINDOW_DEFAULT: Source = READ.source(
    "an SQS event source mapping's MaximumBatchingWindowInSeconds defaults to 0 s",
    ESM_PARAMETERS,
    Verified,
);
