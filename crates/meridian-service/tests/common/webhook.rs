//! A webhook receiver the test owns: HTTP/1.1 on 127.0.0.1, one request per
//! connection. It answers 500 to the first `fail_first` requests (or never
//! answers, when told to hang) and 200 after, and records every request.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The status answered; 0 when the receiver hung.
    pub answered: u16,
    pub at: std::time::Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct State {
    fail_first: usize,
    hang: bool,
    seen: Vec<Received>,
}

pub struct Webhook {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Webhook {
    pub async fn start(fail_first: usize) -> Self {
        Self::start_on(0, fail_first, false).await
    }

    /// Accepts and reads requests but never answers (the sender times out).
    pub async fn hanging() -> Self {
        Self::start_on(0, 0, true).await
    }

    pub async fn start_on(port: u16, fail_first: usize, hang: bool) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind webhook receiver");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(Mutex::new(State { fail_first, hang, seen: Vec::new() }));
        let st = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let st = st.clone();
                tokio::spawn(async move {
                    // Bounded: a stuck sender cannot hold a task forever.
                    let _ = tokio::time::timeout(Duration::from_secs(20), serve(conn, st)).await;
                });
            }
        });
        Self { addr, state, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().expect("lock").seen.clone()
    }
}

impl Drop for Webhook {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut conn: TcpStream, st: Arc<Mutex<State>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match conn.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 1 << 20 {
            return;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines.next().and_then(|l| l.split(' ').nth(1)).unwrap_or("").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    while buf.len() < head_end + len.min(1 << 20) {
        match conn.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let body = buf[head_end..].to_vec();
    let (status, hang) = {
        let mut s = st.lock().expect("lock");
        let status = if s.hang {
            0
        } else if s.seen.len() < s.fail_first {
            500
        } else {
            200
        };
        s.seen.push(Received { path, headers, body, answered: status, at: std::time::Instant::now() });
        (status, s.hang)
    };
    if hang {
        tokio::time::sleep(Duration::from_secs(15)).await;
        return;
    }
    let reason = if status == 200 { "OK" } else { "Internal Server Error" };
    let resp = format!("HTTP/1.1 {status} {reason}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    let _ = conn.write_all(resp.as_bytes()).await;
    let _ = conn.shutdown().await;
}
