package dev.trustproxy.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The Micrometer meters ({@link TrustProxyMeters}) when Micrometer is on the classpath; Boot's
 * metrics support binds them to every registry. The JMX counters stay as they are.
 */
@AutoConfiguration(after = TrustProxyAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(TrustProxyCounters.class)
public class TrustProxyMetricsAutoConfiguration {

  @Bean
  TrustProxyMeters trustProxyMeters(TrustProxyCounters counters,
      TrustProxyProperties properties) {
    return new TrustProxyMeters(counters, properties.getProxyProtocol().isEnabled());
  }
}
