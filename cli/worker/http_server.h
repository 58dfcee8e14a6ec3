// A small HTTP/1.0 server for /metrics and /healthz, on its own thread. Hand-written on a POSIX
// socket: two GET endpoints, one short response each, no keep-alive, TLS or request bodies; a
// library (cpp-httplib, libmicrohttpd) would be more code to configure than this is to read.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace heapscope::cli::worker {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class HttpServer {
 public:
  // Called on the server thread with the request's path ("/metrics").
  using Handler = std::function<HttpResponse(const std::string& path)>;

  HttpServer() = default;
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens on 0.0.0.0:`port` (0 = any free port) and serves until stop(). False with `error`
  // set when the port cannot be bound.
  bool start(uint16_t port, Handler handler, std::string& error);
  uint16_t port() const { return port_; }
  void stop();

 private:
  void serve();
  void answer(int client);
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  Handler handler_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace heapscope::cli::worker
