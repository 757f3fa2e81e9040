//! The `policy` command; its code is the library's `cli` module (feature `cli`).

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    archpolicy::run_command()
}

// Faster than the system allocator on many files at once (docs/performance.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
