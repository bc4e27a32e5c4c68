package dev.trustproxy.benchmarks;

import dev.trustproxy.jetty.ProxyHeaders;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.web.filter.ForwardedHeaderFilter;

/**
 * Writes what the report states about the inputs: {@code touched.txt}, the request methods each
 * filter calls on one request (recorded by a proxy around {@link BenchRequest}), and {@code
 * header-sizes.txt}, the size of each PROXY header. Usage: {@code Describe OUT_DIR}.
 */
public final class Describe {

  private Describe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Inputs.Scenario scenario = Inputs.scenario(3, "ipv4");
    List<String> touched = new ArrayList<>();
    touched.add("trustproxy filter: " + touched(Inputs.trustProxyFilter("ranges"), scenario));
    touched.add("Tomcat RemoteIpFilter: " + touched(Inputs.tomcatFilter("ranges"), scenario));
    touched.add("Spring ForwardedHeaderFilter: " + touched(new ForwardedHeaderFilter(), scenario));
    Files.write(dir.resolve("touched.txt"), touched);
    List<String> sizes = new ArrayList<>();
    for (String name : ProxyHeaders.NAMES) {
      sizes.add(name + " " + ProxyHeaders.bytes(name).length);
    }
    Files.write(dir.resolve("header-sizes.txt"), sizes);
  }

  private static String touched(Filter filter, Inputs.Scenario scenario) throws Exception {
    BenchRequest target = scenario.request();
    Set<String> calls = new LinkedHashSet<>();
    HttpServletRequest recording = (HttpServletRequest) Proxy.newProxyInstance(
        Describe.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
        (proxy, method, methodArgs) -> {
          String arg = methodArgs != null && methodArgs.length > 0
              && methodArgs[0] instanceof String s && method.getName().contains("Header")
              ? "(" + s + ")" : "";
          calls.add(method.getName() + arg);
          try {
            return method.invoke(target, methodArgs);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    Sink sink = new Sink();
    filter.doFilter(recording, new BenchResponse(), sink);
    return String.join(", ", calls) + " -> " + sink.take();
  }
}
