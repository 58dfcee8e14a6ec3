package dev.heapscope;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The Java binding on the demo dump, against the CLI's output (files written by
 * java_test.sh): report and object byte for byte, errors with codes, progress and cancel, threads.
 * Usage: HeapscopeTest DUMP CLI_REPORT.json CLI_OBJECT.json OBJECT_ID
 */
public final class HeapscopeTest {
  private static int failures = 0;

  private static void check(boolean ok, String what) {
    System.out.println((ok ? "ok   " : "FAIL ") + what);
    if (!ok) failures++;
  }

  private static String read(String file) throws Exception {
    return new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    final Path dump = Paths.get(args[0]);
    final String cliReport = read(args[1]);
    final String cliObject = read(args[2]);
    final long objectId = Long.decode(args[3]);
    check("0.1.0".equals(Heapscope.version()), "version");

    try (Heapscope heap = Heapscope.open(dump)) {
      check(heap.report().equals(cliReport), "report() equals heapscope analyze --format json");
      check(heap.object(objectId, 20).equals(cliObject), "object() equals heapscope object");
      check(heap.info().contains("\"objects\": 45733"), "info() counts the demo's objects");
      check(heap.histogram("count", 3).contains("\"sort\": \"count\""), "histogram()");
      check(heap.dominators(0, 2, 2).contains("\"dominators\""), "dominators()");
      check(heap.path(objectId, 1, false).contains("\"root\""), "path() starts at a GC root");
      try {
        heap.object(0x12345L, 1);
        check(false, "an unknown id throws");
      } catch (HeapscopeException e) {
        check(e.code() == Heapscope.USAGE
                && e.getMessage().startsWith("the dump has no object with id 0x12345"),
            "an unknown id throws code 2: " + e.getMessage());
      }
      // Four threads on one analysis.
      final List<String> answers = Collections.synchronizedList(new ArrayList<String>());
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Thread t = new Thread(() -> answers.add(heap.object(objectId, 20)));
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) t.join();
      boolean same = answers.size() == 4;
      for (String a : answers) same &= a.equals(cliObject);
      check(same, "four threads on one analysis get the same object");
    }

    try {
      Heapscope.open(Paths.get("/nonexistent.hprof"));
      check(false, "a missing file throws");
    } catch (HeapscopeException e) {
      check(e.code() == Heapscope.BAD_INPUT, "a missing file throws code 3: " + e.getMessage());
    }

    final List<String> phases = Collections.synchronizedList(new ArrayList<String>());
    try (Heapscope heap = Heapscope.open(dump, new Heapscope.Options().progress((phase, f) -> {
      phases.add(phase);
      return phase.equals("build graph");
    }))) {
      check(phases.contains("scan records"), "the listener hears the index phases");
      heap.report();
      check(false, "cancelling in 'build graph' throws");
    } catch (HeapscopeException e) {
      check(e.code() == Heapscope.CANCELLED, "cancelling in 'build graph' throws code 6");
    }

    // Over the budget the tables go to spill files: the same report, not an error.
    try (Heapscope tight = Heapscope.open(dump, new Heapscope.Options().memoryBudget(1));
         Heapscope free = Heapscope.open(dump)) {
      check(tight.report().equals(free.report()), "a tiny budget spills and gives the same report");
    }

    System.out.println(failures == 0 ? "all passed" : failures + " failed");
    System.exit(failures == 0 ? 0 : 1);
  }
}
