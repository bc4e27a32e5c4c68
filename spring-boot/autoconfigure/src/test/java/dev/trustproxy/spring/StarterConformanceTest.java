package dev.trustproxy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.IpAddress;
import dev.trustproxy.Resolution;
import dev.trustproxy.servlet.ConformanceVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Every conformance vector through the starter's own part: the vector's trust setting bound by
 * Boot's {@link Binder} as {@code trustproxy.trust-proxy}, the resolver the starter builds from
 * it, and the walk. A setting the library refuses must fail naming the Boot property. What the
 * valve and the customizer then do with the resolution runs every vector in their own
 * conformance tests on real Tomcat and Jetty.
 */
class StarterConformanceTest {

  @TestFactory
  Stream<DynamicTest> everyVectorThroughTheStartersProperties() throws Exception {
    return ConformanceVectors.dynamicTests(StarterConformanceTest::check);
  }

  @SuppressWarnings("unchecked")
  private static void check(String file, Map<String, Object> vector) {
    String key = file + " " + vector.get("id");
    Map<String, Object> expect = (Map<String, Object>) vector.get("expect");
    TrustProxyProperties properties = new Binder(new MapConfigurationPropertySource(
        Map.of("trustproxy.trust-proxy", String.valueOf(vector.get("trust")))))
        .bindOrCreate(TrustProxyProperties.PREFIX, TrustProxyProperties.class);
    if (Boolean.TRUE.equals(expect.get("error"))) {
      Throwable failure = catchThrowable(properties::clientResolver);
      assertThat(failure).as(key).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("trustproxy.trust-proxy");
      return;
    }
    ClientResolver resolver = properties.clientResolver();
    List<String> forwardedFor = new ArrayList<>();
    for (List<String> header : (List<List<String>>) vector.get("headers")) {
      if (header.get(0).toLowerCase(Locale.ROOT).equals("x-forwarded-for")) {
        forwardedFor.add(header.get(1));
      }
    }
    Resolution r = resolver.resolve(IpAddress.parse(String.valueOf(vector.get("peer"))),
        forwardedFor.isEmpty() ? null : String.join(",", forwardedFor));
    assertThat(r.client()).as("%s ip", key).hasToString(String.valueOf(expect.get("ip")));
    assertThat(r.ips().stream().map(IpAddress::toString).toList()).as("%s ips", key)
        .isEqualTo(expect.get("ips"));
    assertThat(r.headerIgnored()).as("%s headerIgnored", key)
        .isEqualTo(expect.get("headerIgnored"));
    assertThat(r.stoppedOnInvalid()).as("%s stoppedOnInvalid", key)
        .isEqualTo(expect.get("stoppedOnInvalid"));
  }
}
