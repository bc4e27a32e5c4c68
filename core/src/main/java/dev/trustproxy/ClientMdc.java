package dev.trustproxy;

import org.slf4j.MDC;

/**
 * The client's address in the SLF4J MDC for one dispatch (README D94), the same way in every
 * adapter: {@link #put} sets it on the calling thread, {@link #close()} puts back what the key held
 * before (or removes it), so an outer filter's value survives and a pooled thread keeps nothing.
 *
 * <pre>{@code
 * try (ClientMdc mdc = ClientMdc.put(mdcKey, client)) {
 *   chain.doFilter(request, response);
 * }
 * }</pre>
 *
 * <p>MDC values are per thread: a thread the application starts, or an async task outside a
 * container dispatch, does not see it. Use an instance on the thread that made it, once.
 */
public final class ClientMdc implements AutoCloseable {

  private static final ClientMdc NONE = new ClientMdc(null, null);

  private final String key;
  private final String previous;

  private ClientMdc(String key, String previous) {
    this.key = key;
    this.previous = previous;
  }

  /**
   * The MDC key setting as the adapters read it ({@code mdc-key}, {@code mdcKey}).
   *
   * @param text the setting, or null
   * @return the key stripped, or null (off) when the text is null or blank
   */
  public static String key(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }

  /**
   * Puts {@code client} under {@code key}, remembering the key's previous value.
   *
   * @param key the MDC key, or null to do nothing
   * @param client the client's canonical address text
   * @return what {@link #close()} undoes; never null
   */
  public static ClientMdc put(String key, String client) {
    if (key == null) {
      return NONE;
    }
    ClientMdc scope = new ClientMdc(key, MDC.get(key));
    MDC.put(key, client);
    return scope;
  }

  /** Puts back the key's previous value, or removes the key when it had none. */
  @Override
  public void close() {
    if (key == null) {
      return;
    }
    if (previous == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, previous);
    }
  }
}
