package dev.trustproxy.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real program the tests start, and where to find it. The one place that decides whether a
 * missing peer skips or fails a test ({@link PeerMode}).
 */
public enum Peer {
  HAPROXY("haproxy", "haproxy", "haproxy"),
  NGINX("nginx", "nginx", "nginx"),
  /** Debian ships nginx's {@code stream} module apart from nginx itself; a file, not a program. */
  NGINX_STREAM_MODULE(null, "nginx (stream module)", "libnginx-mod-stream"),
  /** Apache httpd's {@code mod_proxy_http}, an HTTP reverse proxy that appends X-Forwarded-*. */
  APACHE("apache2", "apache2", "apache2"),
  /** Varnish Cache: appends X-Forwarded-For, and sends PROXY v1 or v2 to its backends. */
  VARNISH("varnishd", "varnishd", "varnish"),
  /** Caddy 2: a reverse proxy that overwrites X-Forwarded-* unless told to trust its peer. */
  CADDY("caddy", "caddy", "caddy"),
  CURL("curl", "curl", "curl"),
  OPENSSL("openssl", "openssl", "openssl"),
  /** Runs the benchmark report's own tests ({@code scripts/bench/report_test.py}). */
  PYTHON3("python3", "python3", "python3");

  /** sbin folders are often missing from a non-root PATH, and haproxy/nginx live there. */
  static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

  /** Where Debian's libnginx-mod-stream puts the module (see {@code dpkg -L libnginx-mod-stream}). */
  static final List<String> STREAM_MODULE_FILES = List.of(
      "/usr/lib/nginx/modules/ngx_stream_module.so",
      "/usr/lib64/nginx/modules/ngx_stream_module.so",
      "/usr/local/nginx/modules/ngx_stream_module.so");

  private final String program;
  private final String displayName;
  private final String debianPackage;

  Peer(String program, String displayName, String debianPackage) {
    this.program = program;
    this.displayName = displayName;
    this.debianPackage = debianPackage;
  }

  /** The name the summary line prints: the program, or what is missing of it. */
  public String displayName() {
    return displayName;
  }

  /** The Debian package that provides it, for the install hint. */
  /** The program's name on PATH; null for a peer that is a file (the nginx stream module). */
  public String program() {
    return program;
  }

  public String debianPackage() {
    return debianPackage;
  }

  /**
   * The absolute path of the program (or of the stream module file). When it is missing, the
   * test is skipped, or fails when {@link PeerMode#required()}; either way it never returns.
   */
  public String path() {
    return find().orElseGet(() -> PeerMode.current().missing(List.of(this)));
  }

  /** The absolute path, or empty when it is not installed. */
  public Optional<String> find() {
    if (program == null) {
      return STREAM_MODULE_FILES.stream().filter(file -> Files.isRegularFile(Path.of(file)))
          .findFirst();
    }
    return findProgram(program, System.getenv("PATH"));
  }

  /** {@code program} in the PATH folders, then in {@link #EXTRA_DIRS}: executable files only. */
  static Optional<String> findProgram(String program, String path) {
    List<String> dirs = new ArrayList<>();
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(EXTRA_DIRS);
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }
}
