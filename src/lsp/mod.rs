//! Editor support: what `policy lsp` answers, as a library layer above
//! [`crate::policy`], so it is tested and measured without a process.
//!
//! The server's state is a [`Workspace`]: the root's config
//! (`.archpolicy.yaml`, [`config`]) naming the policy set, the open
//! documents, and the set as last checked. Diagnostics come from the same
//! loader, checker and evaluator as `policy check` ([`Workspace::diagnostics`]);
//! hover, completion, definition and formatting from [`features`]. Positions
//! are UTF-16 or UTF-8 ([`Encoding`]). The protocol loop over stdio is the
//! binary's (`cli/lsp.rs`): this module never opens or writes a stream; it
//! reads the frames of one it is given ([`framing`], bounded).

pub mod config;
mod diagnostics;
mod docs;
mod features;
pub mod framing;
mod policy_doc;
mod proposal_doc;
mod symbols;
mod text;
pub mod uri;
mod workspace;

pub use config::{CONFIG_FILE, Config};
pub use diagnostics::suggestion;
pub use features::quick_fixes;
pub use text::{Encoding, LineIndex};
pub use symbols::{ParamSymbol, PolicySymbol, Symbols};
pub use workspace::{Companions, Kind, Workspace};
