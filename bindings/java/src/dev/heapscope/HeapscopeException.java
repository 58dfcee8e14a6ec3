package dev.heapscope;

/** A failed Heapscope call: {@link #code()} is the CLI's exit code (3 bad input, 4 over budget, ...). */
public class HeapscopeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;

  public HeapscopeException(int code, String message) {
    super(message + " (code " + code + ")");
    this.code = code;
  }

  public int code() { return code; }
}
