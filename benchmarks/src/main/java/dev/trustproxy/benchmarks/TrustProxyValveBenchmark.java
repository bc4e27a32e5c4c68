package dev.trustproxy.benchmarks;

import dev.trustproxy.tomcat.TrustProxyValve;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardEngine;
import org.apache.catalina.valves.RemoteIpValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.modeler.Registry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TrustProxyValve} against Tomcat's {@code RemoteIpValve} trusting the same hops (see
 * {@link Inputs}), each invoked on a real Catalina {@link Request} (with its coyote request and
 * headers, no network) followed by a valve that reads the client address, as the application
 * would. Both valves restore the request when they return, so one request serves every
 * operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrustProxyValveBenchmark {

  @Param({"1", "3", "10", "10000"})
  public int entries;

  @Param({"ipv4", "ipv6"})
  public String family;

  @Param({"hops", "ranges"})
  public String trust;

  private Request request;
  private final Response response = new Response();
  private final SinkValve sink = new SinkValve();
  private TrustProxyValve trustProxy;
  private RemoteIpValve tomcat;
  private ContainerFloorValve floor;

  @Setup
  public void setUp() throws LifecycleException, IOException, ServletException {
    Registry.disableRegistry(); // no MBeans: the valves are measured, not JMX
    Inputs.Scenario scenario = Inputs.scenario(entries, family);
    request = catalinaRequest(scenario);
    response.setCoyoteResponse(new org.apache.coyote.Response());
    response.setRequest(request);

    trustProxy = new TrustProxyValve();
    trustProxy.setTrustProxy(switch (trust) {
      case "hops" -> String.valueOf(Inputs.HOPS);
      case "ranges" -> Inputs.RANGES;
      default -> throw new IllegalArgumentException("trust '" + trust + "'");
    });
    trustProxy.setContainer(new StandardEngine()); // a valve starts inside a container
    trustProxy.setNext(sink);
    trustProxy.start();

    tomcat = new RemoteIpValve();
    tomcat.setInternalProxies(Inputs.tomcatFilter(trust).getInternalProxies().pattern());
    tomcat.setNext(sink);

    floor = new ContainerFloorValve(scenario.client());
    floor.setNext(sink);

    // Every contender must give the right answer on these inputs, or its timing means nothing;
    // and the request must be as it was afterwards, or the next operation measures another input.
    ClientResolutionBenchmark.expect("TrustProxyValve", scenario.client(), trustproxyValve());
    ClientResolutionBenchmark.expect("restored", scenario.peerText(), request.getRemoteAddr());
    ClientResolutionBenchmark.expect("RemoteIpValve", scenario.client(), tomcatRemoteIpValve());
    ClientResolutionBenchmark.expect("restored", scenario.peerText(), request.getRemoteAddr());
    ClientResolutionBenchmark.expect("floor", scenario.client(), containerFloor());
    ClientResolutionBenchmark.expect("restored", scenario.peerText(), request.getRemoteAddr());
  }

  /** A Catalina request as the HTTP processor leaves it: peer, scheme, host, port, headers. */
  static Request catalinaRequest(Inputs.Scenario scenario) {
    org.apache.coyote.Request coyote = new org.apache.coyote.Request();
    coyote.remoteAddr().setString(scenario.peerText());
    coyote.scheme().setString("http");
    coyote.serverName().setString("app.example");
    coyote.setServerPort(8080);
    coyote.protocol().setString("HTTP/1.1");
    coyote.method().setString("GET");
    coyote.requestURI().setString("/");
    coyote.getMimeHeaders().addValue("Host").setString("app.example:8080");
    coyote.getMimeHeaders().addValue("User-Agent").setString("bench/1.0");
    coyote.getMimeHeaders().addValue("Accept").setString("*/*");
    coyote.getMimeHeaders().addValue("X-Forwarded-For").setString(scenario.xForwardedFor());
    Request request = new Request(new Connector("HTTP/1.1"));
    request.setCoyoteRequest(coyote);
    return request;
  }

  @Benchmark
  public String trustproxyValve() throws IOException, ServletException {
    return run(trustProxy);
  }

  @Benchmark
  public String tomcatRemoteIpValve() throws IOException, ServletException {
    return run(tomcat);
  }

  /**
   * Not a contender: the container's share of any valve on this request (see
   * {@link ContainerFloorValve}), so that the report can say how far the ratio can go.
   */
  @Benchmark
  public String containerFloor() throws IOException, ServletException {
    return run(floor);
  }

  private String run(Valve valve) throws IOException, ServletException {
    valve.invoke(request, response);
    return sink.take();
  }

  /** The rest of the pipeline: reads the client address, as the application would. */
  static final class SinkValve extends ValveBase {
    private String remoteAddr;

    @Override
    public void invoke(Request request, Response response) {
      remoteAddr = request.getRemoteAddr();
    }

    String take() {
      String r = remoteAddr;
      remoteAddr = null;
      return r;
    }
  }
}
