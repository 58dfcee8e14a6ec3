package dev.heapscope.apm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.heapscope.Heapscope;
import dev.heapscope.HeapscopeException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * A small APM backend: GET /analyze?dump=PATH runs Heapscope on a heap dump (through the Java
 * binding) and answers the verdict and the finalizer and timer figures as JSON. One analysis at a
 * time (they are memory-hungry); others wait. Usage: ApmBackend [PORT] (0 = a free port); it
 * prints "listening on PORT" once ready.
 */
public final class ApmBackend {
  private static final Semaphore ONE_AT_A_TIME = new Semaphore(1);

  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/analyze", ApmBackend::analyze);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    System.out.println("listening on " + server.getAddress().getPort());
    System.out.flush();
  }

  private static void analyze(HttpExchange exchange) throws IOException {
    String dump = null;
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("dump=")) dump = URLDecoder.decode(pair.substring(5), "UTF-8");
      }
    }
    if (dump == null) {
      reply(exchange, 400, error(2, "missing ?dump=PATH"));
      return;
    }
    try {
      ONE_AT_A_TIME.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply(exchange, 503, error(5, "interrupted"));
      return;
    }
    try (Heapscope heap = Heapscope.open(Paths.get(dump))) {
      reply(exchange, 200, Json.write(summary(dump, heap.report())));
    } catch (HeapscopeException e) {
      reply(exchange, e.code() == Heapscope.BAD_INPUT ? 422 : 500, error(e.code(), e.getMessage()));
    } finally {
      ONE_AT_A_TIME.release();
    }
  }

  /** The figures an APM chart wants, from the report (docs/report.md). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> summary(String dump, String reportJson) {
    Map<String, Object> report = (Map<String, Object>) Json.parse(reportJson);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dump", dump);
    out.put("verdict", report.get("verdict"));
    Map<String, Object> f = (Map<String, Object>) report.get("finalizer");
    Map<String, Object> finalizer = new LinkedHashMap<>();
    for (String key : new String[] {"registered", "pending", "being_finalized", "held_only_count",
        "held_only_bytes"}) {
      finalizer.put(key, f.get(key));
    }
    out.put("finalizer", finalizer);
    List<Object> timers = new ArrayList<>();
    for (Object o : (List<Object>) report.get("timers")) {
      Map<String, Object> t = (Map<String, Object>) o;
      Map<String, Object> timer = new LinkedHashMap<>();
      for (String key : new String[] {"kind", "class", "object_id", "thread_name", "queue_size",
          "held_only_count", "held_only_bytes"}) {
        timer.put(key, t.get(key));
      }
      timer.put("cancelled_tasks", ((Map<String, Object>) t.get("tasks")).get("cancelled"));
      timers.add(timer);
    }
    out.put("timers", timers);
    return out;
  }

  private static String error(int code, String message) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("code", (double) code);
    inner.put("message", message);
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("error", inner);
    return Json.write(e);
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }
}
