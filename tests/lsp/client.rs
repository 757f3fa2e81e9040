//! A JSON-RPC client over the pipes of a `policy lsp` child process; every
//! read has a deadline, so a server that does not answer fails the test
//! instead of hanging it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStderr, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const DEADLINE: Duration = Duration::from_secs(20);

pub struct Client {
    child: Child,
    /// `None` once closed ([`Client::finish`]).
    stdin: Option<ChildStdin>,
    /// The server's stderr when [`Client::start_with`] captures it.
    stderr: Option<ChildStderr>,
    messages: Receiver<Value>,
    /// Notifications read while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    pub fn start() -> Client {
        Client::start_with(&["lsp"], false)
    }

    /// `policy ARGS`, with its stderr kept for [`Client::finish`] when `capture_stderr`.
    pub fn start_with(args: &[&str], capture_stderr: bool) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policy"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if capture_stderr { Stdio::piped() } else { Stdio::inherit() })
            .spawn()
            .expect("start `policy lsp`");
        let stdin = Some(child.stdin.take().unwrap());
        let stderr = child.stderr.take();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client { child, stdin, stderr, messages, pending: Vec::new(), next_id: 1 }
    }

    pub fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes()).unwrap();
    }

    /// Writes `bytes` as they are; an error when the server has closed its input.
    pub fn send_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let stdin = self.stdin.as_mut().expect("the input is open");
        stdin.write_all(bytes)?;
        stdin.flush()
    }

    /// The next message the server sends, whatever it is.
    pub fn next_message(&mut self) -> Value {
        if !self.pending.is_empty() {
            return self.pending.remove(0);
        }
        self.next(Instant::now() + DEADLINE)
    }

    /// The most memory the server has held so far (`VmHWM`), in KiB.
    #[cfg(target_os = "linux")]
    pub fn peak_memory_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// Closes the server's input and waits for it to end: its exit status and
    /// (when captured) what it wrote to stderr.
    pub fn finish(mut self) -> (ExitStatus, String) {
        drop(self.stdin.take());
        let until = Instant::now() + DEADLINE;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < until, "`policy lsp` did not exit when its input closed");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        if let Some(mut pipe) = self.stderr.take() {
            pipe.read_to_string(&mut stderr).unwrap();
        }
        (status, stderr)
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn next(&mut self, until: Instant) -> Value {
        match self.messages.recv_timeout(until.saturating_duration_since(Instant::now())) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("the server did not answer within {DEADLINE:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Sends a request and returns its result (panics on an error response).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let until = Instant::now() + DEADLINE;
        loop {
            let message = self.next(until);
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method} failed: {message}");
                return message["result"].clone();
            }
            self.pending.push(message);
        }
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let published = |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
        if let Some(i) = self.pending.iter().position(published) {
            return self.pending.remove(i)["params"]["diagnostics"].as_array().unwrap().clone();
        }
        let until = Instant::now() + DEADLINE;
        loop {
            let message = self.next(until);
            if published(&message) {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.pending.push(message);
        }
    }

    /// The uris whose diagnostics were published and not yet read, in order.
    pub fn unread_diagnostics(&self) -> Vec<String> {
        self.pending
            .iter()
            .filter(|m| m["method"] == "textDocument/publishDiagnostics")
            .map(|m| m["params"]["uri"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// `shutdown` then `exit`; the process must end, with success.
    pub fn stop(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let until = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "`policy lsp` exited with {status}");
                return;
            }
            assert!(Instant::now() < until, "`policy lsp` did not exit after `exit`");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
