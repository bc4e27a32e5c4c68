package dev.trustproxy;

import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * One request as a trusted proxy describes it: the {@link Resolution} of the walk, and the
 * client's address, scheme, host and port that an adapter must report instead of the
 * connection's. Every adapter (the servlet filter, the Jetty customizer) asks this class, so they
 * apply the same rules (README D34) and never disagree.
 *
 * <p>The rules: the client replaces the peer only when it came from the header. The scheme
 * ({@code http}/{@code https} only), host ({@code host[:port]}, validated) and port are read only
 * when the peer is trusted; for X-Forwarded-* from the first element of X-Forwarded-Proto, -Host
 * and -Port, for RFC 7239 from {@code proto=} and {@code host=} of the element that names the
 * client, read inside the span the walk found for it with the walk's own element reader (README
 * D21, D42). With a single-address header (README D90-D93) the client is that header's one
 * address from a trusted peer, and X-Forwarded-Proto, -Host and -Port are read as for
 * X-Forwarded-For. An explicit host port wins over X-Forwarded-Port; a scheme change without any port
 * sets the scheme's default port; a host without a port keeps the container's port. A value that
 * a trusted proxy sent but that is not valid is ignored and recorded ({@link #ignored}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Forwarding {

  /**
   * Which forwarding header to read: one of the two families, or one header that holds one
   * address ({@link #single}, README D90). Exactly one per adapter: never both.
   *
   * <p>Immutable; equal when they name the same header (header names are case-insensitive).
   */
  public static final class Headers {
    /** X-Forwarded-For, with X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-Port. */
    public static final Headers X_FORWARDED = new Headers("x-forwarded-for", "X-Forwarded-For");
    /** RFC 7239 {@code Forwarded}: {@code for=}, with {@code proto=} and {@code host=}. */
    public static final Headers FORWARDED = new Headers("forwarded", "Forwarded");

    /** Lower case: the setting text and {@link Resolution#clientHeader()}. */
    private final String name;
    /** The name the adapters look up (lookups are case-insensitive). */
    private final String lookupName;

    private Headers(String name, String lookupName) {
      this.name = name;
      this.lookupName = lookupName;
    }

    /**
     * One header holding exactly one client address, such as {@code X-Real-IP}, {@code
     * CF-Connecting-IP}, {@code True-Client-IP} or {@code Fastly-Client-IP} (README D90, D91). It
     * is believed only from a trusted peer, as the first hop of a walk; X-Forwarded-Proto, -Host
     * and -Port are read beside it under the same rule (D93).
     *
     * @param headerName an RFC 9110 token (section 5.1), any case; not {@code x-forwarded-for} or
     *     {@code forwarded}, which are families
     * @return the setting
     * @throws IllegalArgumentException quoting the name when it is not a token or is a family
     */
    public static Headers single(String headerName) {
      return single("headerName", headerName);
    }

    private static Headers single(String settingName, String headerName) {
      Objects.requireNonNull(headerName, settingName);
      String lower = headerName.toLowerCase(Locale.ROOT);
      if (lower.equals(X_FORWARDED.name) || lower.equals(FORWARDED.name)) {
        throw new IllegalArgumentException(settingName + ": '" + headerName
            + "' is a header family, not a single-address header: use Headers.X_FORWARDED or"
            + " Headers.FORWARDED");
      }
      if (lower.equals("x-forwarded-proto") || lower.equals("x-forwarded-host")
          || lower.equals("x-forwarded-port")) {
        throw new IllegalArgumentException(settingName + ": '" + headerName
            + "' holds the scheme, host or port, not the client: expected x-forwarded-for,"
            + " forwarded, or the name of one header holding one address, such as x-real-ip");
      }
      boolean token = !headerName.isEmpty();
      for (int i = 0; i < headerName.length() && token; i++) {
        token = ForwardedElement.isTchar(headerName.charAt(i));
      }
      if (!token) {
        throw new IllegalArgumentException(settingName + ": '" + headerName
            + "' is not a header name: expected x-forwarded-for, forwarded, or the name of one"
            + " header holding one address (an RFC 9110 token, such as x-real-ip)");
      }
      return new Headers(lower, lower);
    }

    /**
     * Reads the setting text (any case, trimmed): {@code x-forwarded-for} or {@code forwarded}
     * for a family, any other header name for a single-address header ({@link #single}).
     *
     * @param settingName named in the error message, for example {@code "forwardedHeader"}
     * @param text the setting's value
     * @return the setting
     * @throws IllegalArgumentException naming the setting and quoting the text
     */
    public static Headers parse(String settingName, String text) {
      Objects.requireNonNull(text, settingName);
      String name = text.strip();
      switch (name.toLowerCase(Locale.ROOT)) {
        case "x-forwarded-for":
          return X_FORWARDED;
        case "forwarded":
          return FORWARDED;
        default:
          return single(settingName, name);
      }
    }

    /**
     * The setting text, which {@link #parse} reads back to an equal value.
     *
     * @return {@code x-forwarded-for}, {@code forwarded}, or the single header's name in lower
     *     case
     */
    public String settingText() {
      return name;
    }

    /**
     * Whether this is one header holding one address rather than a family.
     *
     * @return true for {@link #single} headers
     */
    public boolean isSingle() {
      return this != X_FORWARDED && this != FORWARDED;
    }

    /** The header that names the client: X-Forwarded-For, Forwarded or the single header. */
    String clientHeaderName() {
      return lookupName;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Headers other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    /** The setting text. */
    @Override
    public String toString() {
      return name;
    }
  }

  /** A forwarded value that was present but not valid, so the container's own value stands. */
  public enum Ignored {
    /** X-Forwarded-Proto or {@code proto=} other than {@code http}/{@code https} (README D10). */
    SCHEME,
    /** X-Forwarded-Host or {@code host=} that is not a valid {@code host[:port]} (README D40). */
    HOST,
    /** X-Forwarded-Port that is not a port 1..65535. */
    PORT
  }

  private final Resolution resolution;
  private final String remoteAddr;
  private final String scheme;
  private final String serverName;
  private final int serverPort;
  /** One bit per {@link Ignored} ordinal: no set is allocated per request. */
  private final int ignored;

  private Forwarding(Resolution resolution, String remoteAddr, String scheme, String serverName,
      int serverPort, int ignored) {
    this.resolution = resolution;
    this.remoteAddr = remoteAddr;
    this.scheme = scheme;
    this.serverName = serverName;
    this.serverPort = serverPort;
    this.ignored = ignored;
  }

  /**
   * Logs, once at start-up, the WARN that every adapter gives for {@code true}: it believes the
   * left-most entry, which any client can write. Does nothing for any other setting.
   *
   * @param log the adapter's logger
   * @param settingName the setting as the adapter names it, for example {@code trust-proxy}
   * @param resolver the configured resolver
   * @param headers the configured header family
   */
  public static void warnIfTrustingEverything(Logger log, String settingName,
      ClientResolver resolver, Headers headers) {
    if (resolver.trust().trustsEverything()) {
      log.warn("{} is true: the client address is the {}, which any client can write. This is"
          + " safe only if every path into this server goes through your proxies.", settingName,
          headers == Headers.FORWARDED ? "left-most Forwarded for= entry"
              : headers.isSingle() ? headers.clientHeaderName() + " header"
              : "left-most X-Forwarded-For entry");
    }
  }

  /**
   * How an adapter reads its request's header field lines. An adapter passes one stateless
   * constant with the request itself, not a lambda that captures the request: nothing is then
   * made per request that the JIT has to remove (README D119).
   *
   * @param <R> the adapter's request type
   */
  public interface FieldLines<R> {
    /**
     * Every field line of a header joined in arrival order with {@code ", "}.
     *
     * @param request the adapter's request
     * @param name the header's name (lookups are case-insensitive)
     * @return the joined value, or null when the request has none
     */
    String joined(R request, String name);

    /**
     * The first field line of a header: only the first element of X-Forwarded-Proto, -Host and
     * -Port counts, and it is in the first line, so an adapter need not join every line.
     *
     * @param request the adapter's request
     * @param name the header's name (lookups are case-insensitive)
     * @return the first line, or null when the request has none
     */
    String first(R request, String name);
  }

  /** Field lines from a function of the name: joined and first line are the same value. */
  private static final FieldLines<UnaryOperator<String>> BY_NAME = new FieldLines<>() {
    @Override
    public String joined(UnaryOperator<String> fieldValue, String name) {
      return fieldValue.apply(name);
    }

    @Override
    public String first(UnaryOperator<String> fieldValue, String name) {
      return fieldValue.apply(name);
    }
  };

  /**
   * Walks and reads forwarding headers given by name, for callers that hold them in a map or
   * similar; adapters use {@link #read(ClientResolver, Headers, IpAddress, String, Object,
   * FieldLines)}.
   *
   * @param resolver the trust setting
   * @param headers which header family to read
   * @param peer the TCP peer (after any PROXY header)
   * @param containerScheme the scheme the container sees ({@code http} or {@code https}), to know
   *     whether a forwarded scheme changes it
   * @param fieldValue gives, for a header name, every field line of that header joined in arrival
   *     order with {@code ", "}, or null when there is none; called only for the headers needed
   * @return the answer; never null
   */
  public static Forwarding read(ClientResolver resolver, Headers headers, IpAddress peer,
      String containerScheme, UnaryOperator<String> fieldValue) {
    return read(resolver, headers, peer, containerScheme, fieldValue, BY_NAME);
  }

  /**
   * Walks and reads the request's forwarding headers, asking {@code lines} only for the headers
   * needed: X-Forwarded-Proto, -Host and -Port only from a trusted peer, and only their first line.
   *
   * @param <R> the adapter's request type
   * @param resolver the trust setting
   * @param headers which header family to read
   * @param peer the TCP peer (after any PROXY header)
   * @param containerScheme the scheme the container sees ({@code http} or {@code https}), to know
   *     whether a forwarded scheme changes it
   * @param request the adapter's request, handed to {@code lines}
   * @param lines how to read its field lines: a constant of the adapter
   * @return the answer; never null
   */
  public static <R> Forwarding read(ClientResolver resolver, Headers headers, IpAddress peer,
      String containerScheme, R request, FieldLines<? super R> lines) {
    Resolution resolution;
    if (headers.isSingle()) {
      // Several field lines show as a joined value longer than the first line (README D92).
      String name = headers.clientHeaderName();
      String value = lines.joined(request, name);
      String first = value == null ? null : lines.first(request, name);
      resolution = resolver.resolveSingle(peer, name, value,
          first != null && first.length() != value.length());
    } else if (headers == Headers.X_FORWARDED) {
      resolution = resolver.resolve(peer, lines.joined(request, "X-Forwarded-For"));
    } else {
      resolution = resolver.resolveForwarded(peer, lines.joined(request, "Forwarded"));
    }
    return of(resolution, headers, containerScheme, request, lines);
  }

  /**
   * The answer for a request whose walk is done: the scheme, host and port read again beside
   * {@code resolution}, with no second walk. An adapter that sees the same request again (a
   * servlet filter on an ASYNC or ERROR dispatch) gets the same answer as the first time, because
   * the headers and the container's scheme are the same.
   *
   * @param <R> the adapter's request type
   * @param resolution the request's walk, as {@link #read} made it for {@code headers}
   * @param headers which header family was read
   * @param containerScheme the scheme the container sees
   * @param request the adapter's request, handed to {@code lines}
   * @param lines how to read its field lines: a constant of the adapter
   * @return the answer; never null
   */
  public static <R> Forwarding of(Resolution resolution, Headers headers, String containerScheme,
      R request, FieldLines<? super R> lines) {
    String remoteAddr = resolution.fromHeader() ? resolution.clientText() : null;
    // Small steps, so that the JIT can inline read into an adapter.
    if (headers == Headers.FORWARDED) {
      return resolution.fromHeader()
          ? fromForwarded(resolution, remoteAddr, containerScheme)
          : new Forwarding(resolution, remoteAddr, null, null, -1, 0);
    }
    return resolution.peerTrusted()
        ? fromXForwarded(resolution, remoteAddr, containerScheme, request, lines)
        : new Forwarding(resolution, remoteAddr, null, null, -1, 0);
  }

  /** X-Forwarded-Proto, -Host and -Port: the first element of each (README D22). */
  private static <R> Forwarding fromXForwarded(Resolution resolution, String remoteAddr,
      String containerScheme, R request, FieldLines<? super R> lines) {
    String proto = HeaderValues.firstElement(lines.first(request, "X-Forwarded-Proto"));
    String host = HeaderValues.firstElement(lines.first(request, "X-Forwarded-Host"));
    String port = HeaderValues.firstElement(lines.first(request, "X-Forwarded-Port"));
    String scheme = HeaderValues.scheme(proto);
    // HostPort is touched only where a host was sent: see of(..., String host, ...) below.
    HeaderValues.HostPort hostPort = host == null ? null : HeaderValues.hostAndPort(host);
    int forwardedPort = port == null ? -1 : Entries.port(port, 0, port.length());
    int ignored = (proto != null && scheme == null ? bit(Ignored.SCHEME) : 0)
        | (host != null && hostPort == null ? bit(Ignored.HOST) : 0)
        | (port != null && forwardedPort < 0 ? bit(Ignored.PORT) : 0);
    return of(resolution, remoteAddr, containerScheme, scheme,
        hostPort == null ? null : hostPort.host(),
        hostPort != null && hostPort.port() >= 0 ? hostPort.port() : forwardedPort, ignored);
  }

  /**
   * RFC 7239 {@code proto=} and {@code host=}, inside the client's element only, as the walk found
   * it: the elements left of it may be the client's own text, and are never split again (README
   * D21, D42).
   */
  private static Forwarding fromForwarded(Resolution resolution, String remoteAddr,
      String containerScheme) {
    CharSequence header = resolution.header();
    int from = resolution.clientElementStart();
    int to = resolution.clientElementEnd();
    long proto = ForwardedElement.value(header, from, to, ForwardedElement.PROTO);
    long host = ForwardedElement.value(header, from, to, ForwardedElement.HOST);
    String scheme = proto < 0
        ? null : HeaderValues.scheme(header, (int) (proto >>> 32), (int) proto);
    HeaderValues.HostPort hostPort = host < 0
        ? null : HeaderValues.hostAndPort(header, (int) (host >>> 32), (int) host);
    int ignored = (proto >= 0 && scheme == null ? bit(Ignored.SCHEME) : 0)
        | (host >= 0 && hostPort == null ? bit(Ignored.HOST) : 0);
    return of(resolution, remoteAddr, containerScheme, scheme,
        hostPort == null ? null : hostPort.host(), hostPort == null ? -1 : hostPort.port(),
        ignored);
  }

  /**
   * A scheme change without any port sets the scheme's default port (README D12).
   *
   * <p>No {@code HeaderValues.HostPort} in the signature, nor on the path of a request without a
   * host: C2 does not inline a call whose signature names a class that is not loaded yet, and
   * with no host sent, when that class is loaded was up to the JVM. In a JVM that compiled the
   * filter first, this call, which makes the answer, stayed a call, and the answer was allocated
   * instead of scalar-replaced: 40 B more per request (README D121).
   */
  private static Forwarding of(Resolution resolution, String remoteAddr, String containerScheme,
      String scheme, String host, int serverPort, int ignored) {
    int port = serverPort < 0 && scheme != null && !scheme.equals(containerScheme)
        ? (scheme.equals("https") ? 443 : 80) : serverPort;
    return new Forwarding(resolution, remoteAddr, scheme, host, port, ignored);
  }

  private static int bit(Ignored value) {
    return 1 << value.ordinal();
  }

  /**
   * The walk's answer, for the request attribute {@code dev.trustproxy.Resolution}.
   *
   * @return the resolution; never null
   */
  public Resolution resolution() {
    return resolution;
  }

  /**
   * The client's address text (canonical form), when the client came from the header.
   *
   * @return the address, or null to keep the connection's peer
   */
  public String remoteAddr() {
    return remoteAddr;
  }

  /**
   * The client's address text, canonical (README D9) on every path: {@link #remoteAddr()} when the
   * client came from the header, otherwise the peer's, for which the container's own text is
   * reused when it already is canonical, so the common case allocates no string.
   *
   * @param peerText the container's text of the peer ({@code getRemoteAddr()}), or null
   * @return the client's text; never null
   */
  public String clientText(String peerText) {
    return remoteAddr != null ? remoteAddr : resolution.peer().canonicalText(peerText);
  }

  /**
   * The scheme the client used, when a trusted proxy said so.
   *
   * @return {@code http} or {@code https}, or null to keep the container's
   */
  public String scheme() {
    return scheme;
  }

  /**
   * The host the client asked for, as written (IPv6 in brackets), when a trusted proxy said so.
   *
   * @return the host, or null to keep the container's
   */
  public String serverName() {
    return serverName;
  }

  /**
   * The port the client connected to, when a trusted proxy said so or the scheme changed.
   *
   * @return 1..65535, or -1 to keep the container's
   */
  public int serverPort() {
    return serverPort;
  }

  /**
   * Whether a trusted proxy sent this value but it was not valid, so it was ignored: for an
   * adapter's DEBUG log or counters.
   *
   * @param value which value
   * @return true when it was present and ignored
   */
  public boolean ignored(Ignored value) {
    return (ignored & bit(value)) != 0;
  }

  /**
   * Whether the request must be reported differently from the connection.
   *
   * @return true when any of the client, scheme, host or port changes
   */
  public boolean changesRequest() {
    return remoteAddr != null || scheme != null || serverName != null || serverPort >= 0;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(resolution).append(" -> remoteAddr=")
        .append(remoteAddr).append(" scheme=").append(scheme).append(" serverName=")
        .append(serverName).append(" serverPort=").append(serverPort);
    for (Ignored value : Ignored.values()) {
      if (ignored(value)) {
        sb.append(" ignored ").append(value);
      }
    }
    return sb.toString();
  }
}
