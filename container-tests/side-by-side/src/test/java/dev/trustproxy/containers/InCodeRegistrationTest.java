package dev.trustproxy.containers;

import static dev.trustproxy.containers.Webapps.FORWARDED_HTTPS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.servlet.javax.DispatchServlet;
import dev.trustproxy.servlet.javax.EchoServlet;
import dev.trustproxy.servlet.javax.TrustProxyFilter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee8.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee8.servlet.FilterHolder;
import org.eclipse.jetty.ee8.servlet.ServletContextHandler;
import org.eclipse.jetty.ee8.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The javax filter configured in code ({@code new TrustProxyFilter(...)}, no web.xml) on embedded
 * Tomcat 9 and Jetty 12 ee8, over HTTP from 127.0.0.1: what a Servlet 4 application that builds
 * its container in code (Spring Boot 2.7, Openfire) gets. The test class path also holds the
 * Jakarta filter and the Jakarta Servlet API: the javax one runs undisturbed next to them.
 */
class InCodeRegistrationTest {

  private static final InetAddress V4 = InetAddress.getLoopbackAddress();

  @TempDir
  Path temp;

  private AutoCloseable running;
  private TrustProxyFilter filter;

  @AfterEach
  void stop() throws Exception {
    if (running != null) {
      running.close();
    }
  }

  /** Starts {@code container} with the filter (trusting loopback) before the test servlets. */
  private int start(String container) throws Exception {
    filter = TrustProxyFilter.trusting("loopback");
    return container.equals("tomcat9") ? tomcat(filter) : jettyEe8(filter);
  }

  private int tomcat(Filter f) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createDirectories(temp.resolve("tomcat")).toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", V4.getHostAddress());
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", Files.createDirectories(temp.resolve("docs")).toString());
    FilterDef def = new FilterDef();
    def.setFilterName("trustproxy");
    def.setFilter(f);
    def.setAsyncSupported("true");
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("trustproxy");
    map.addURLPatternDecoded("/*");
    for (DispatcherType type : DispatcherType.values()) {
      map.setDispatcher(type.name());
    }
    context.addFilterMap(map);
    Tomcat.addServlet(context, "echo", new EchoServlet()).setAsyncSupported(true);
    Tomcat.addServlet(context, "dispatch", new DispatchServlet()).setAsyncSupported(true);
    context.addServletMappingDecoded("/echo", "echo");
    for (String path : List.of("/forward", "/include", "/async", "/error")) {
      context.addServletMappingDecoded(path, "dispatch");
    }
    ErrorPage teapot = new ErrorPage();
    teapot.setErrorCode(418);
    teapot.setLocation("/echo");
    context.addErrorPage(teapot);
    tomcat.start();
    running = () -> {
      tomcat.stop();
      tomcat.destroy();
    };
    return connector.getLocalPort();
  }

  private int jettyEe8(Filter f) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost(V4.getHostAddress());
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    context.setContextPath("/");
    FilterHolder holder = new FilterHolder(f);
    holder.setAsyncSupported(true);
    context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
    ServletHolder echo = new ServletHolder(new EchoServlet());
    echo.setAsyncSupported(true);
    context.addServlet(echo, "/echo");
    ServletHolder dispatch = new ServletHolder(new DispatchServlet());
    dispatch.setAsyncSupported(true);
    for (String path : List.of("/forward", "/include", "/async", "/error")) {
      context.addServlet(dispatch, path);
    }
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.addErrorPage(418, "/echo");
    context.setErrorHandler(errors);
    server.setHandler(context);
    server.start();
    running = server::stop;
    return connector.getLocalPort();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"tomcat9, /echo, 200", "tomcat9, /forward, 200", "tomcat9, /include, 200",
      "tomcat9, /async, 200", "tomcat9, /error, 418", "jettyEe8, /echo, 200",
      "jettyEe8, /forward, 200", "jettyEe8, /include, 200", "jettyEe8, /async, 200",
      "jettyEe8, /error, 418"})
  void everyDispatchReportsTheClientFromOneWalk(String container, String path, int status)
      throws Exception {
    int port = start(container);
    Http.Response response = Http.get(V4, port, path, FORWARDED_HTTPS.toArray(String[]::new));
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.echo()).as(response.body()).containsEntry("remoteAddr", "203.0.113.7")
        .containsEntry("scheme", "https").containsEntry("secure", "true")
        .containsEntry("peer", "127.0.0.1").containsEntry("clientIndex", "1");
    assertThat(filter.statistics().getRequests()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomcat9", "jettyEe8"})
  void aSessionCreatedBehindATrustedHttpsProxyHasASecureCookie(String container)
      throws Exception {
    int port = start(container);
    Http.Response response =
        Http.get(V4, port, "/echo?session", FORWARDED_HTTPS.toArray(String[]::new));
    assertThat(response.header("Set-Cookie")).as(response.headers().toString())
        .singleElement().satisfies(line -> assertThat(line).startsWith("JSESSIONID=")
            .satisfies(l -> assertThat(l.toLowerCase(Locale.ROOT)).contains("; secure")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomcat9", "jettyEe8"})
  void aSessionOfAPlainHttpRequestKeepsItsCookieWithoutSecure(String container)
      throws Exception {
    int port = start(container);
    Http.Response response = Http.get(V4, port, "/echo?session", "X-Forwarded-For: 203.0.113.7");
    assertThat(response.echo()).containsEntry("remoteAddr", "203.0.113.7")
        .containsEntry("scheme", "http");
    assertThat(response.header("Set-Cookie")).singleElement()
        .satisfies(line -> assertThat(line.toLowerCase(Locale.ROOT)).doesNotContain("secure"));
  }
}
