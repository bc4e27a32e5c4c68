package dev.trustproxy.containers;

import dev.trustproxy.servlet.TrustProxyFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Exploded web applications written at test time: a web.xml, and the filter's jar if asked. */
public final class Webapps {

  /** Every dispatcher type, as the README maps the filter. */
  public static final String ALL_DISPATCHERS = "<dispatcher>REQUEST</dispatcher>"
      + "<dispatcher>FORWARD</dispatcher><dispatcher>INCLUDE</dispatcher>"
      + "<dispatcher>ASYNC</dispatcher><dispatcher>ERROR</dispatcher>";

  private static final String SERVLETS = """
        <servlet>
          <servlet-name>echo</servlet-name>
          <servlet-class>dev.trustproxy.servlet.EchoServlet</servlet-class>
          <async-supported>true</async-supported>
        </servlet>
        <servlet>
          <servlet-name>dispatch</servlet-name>
          <servlet-class>dev.trustproxy.servlet.DispatchServlet</servlet-class>
          <async-supported>true</async-supported>
        </servlet>
        <servlet-mapping><servlet-name>echo</servlet-name><url-pattern>/echo</url-pattern></servlet-mapping>
        <servlet-mapping>
          <servlet-name>dispatch</servlet-name>
          <url-pattern>/forward</url-pattern><url-pattern>/include</url-pattern>
          <url-pattern>/async</url-pattern><url-pattern>/error</url-pattern>
        </servlet-mapping>
        <error-page><error-code>418</error-code><location>/echo</location></error-page>
      """;

  private Webapps() {}

  /** A filter declaration in web.xml: {@code name}, TrustProxyFilter, these init-params. */
  public static String filter(String name, String... initParams) {
    StringBuilder xml = new StringBuilder("  <filter><filter-name>").append(name)
        .append("</filter-name><filter-class>").append(TrustProxyFilter.class.getName())
        .append("</filter-class><async-supported>true</async-supported>");
    for (int i = 0; i < initParams.length; i += 2) {
      xml.append("<init-param><param-name>").append(initParams[i])
          .append("</param-name><param-value>").append(initParams[i + 1])
          .append("</param-value></init-param>");
    }
    return xml.append("</filter>\n  <filter-mapping><filter-name>").append(name)
        .append("</filter-name><url-pattern>/*</url-pattern>").append(ALL_DISPATCHERS)
        .append("</filter-mapping>\n").toString();
  }

  /** A context-param. */
  public static String contextParam(String name, String value) {
    return "  <context-param><param-name>" + name + "</param-name><param-value>" + value
        + "</param-value></context-param>\n";
  }

  /**
   * Writes a web application under {@code dir} whose web.xml holds {@code declarations} and the
   * test servlets; with {@code filterJar} the filter's jar (with its web-fragment) is in
   * WEB-INF/lib, as in a WAR built with it.
   */
  public static Path write(Path dir, boolean filterJar, String... declarations)
      throws IOException {
    Path webInf = Files.createDirectories(dir.resolve("WEB-INF"));
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
                 version="6.0">
        """ + String.join("", declarations) + SERVLETS + "</web-app>\n";
    Files.writeString(webInf.resolve("web.xml"), xml, StandardCharsets.UTF_8);
    if (filterJar) {
      Path lib = Files.createDirectories(webInf.resolve("lib"));
      copyFilterJar(lib.resolve("trustproxy-filter.jar"));
    }
    return dir;
  }

  /**
   * The filter's jar, or (when the build has not packaged it yet) its class folder zipped into
   * one: the same entries, META-INF/web-fragment.xml included.
   */
  private static void copyFilterJar(Path target) throws IOException {
    Path source;
    try {
      source = Path.of(TrustProxyFilter.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    if (Files.isRegularFile(source)) {
      Files.copy(source, target);
      return;
    }
    try (OutputStream out = Files.newOutputStream(target);
        JarOutputStream jar = new JarOutputStream(out);
        Stream<Path> walk = Files.walk(source)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        jar.putNextEntry(new JarEntry(source.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, jar);
        jar.closeEntry();
      }
    }
  }

  /** Lines that a raw request sends as a trusted proxy's: the client 203.0.113.7 over https. */
  public static final List<String> FORWARDED_HTTPS = List.of(
      "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https");
}
