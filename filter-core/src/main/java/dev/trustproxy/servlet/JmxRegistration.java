package dev.trustproxy.servlet;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a filter's {@link TrustProxyFilterMXBean} with the platform MBeanServer. Plain JMX,
 * so the filter runs in any container; a failure to register never fails the application.
 */
final class JmxRegistration {

  private static final Logger LOG = LoggerFactory.getLogger(JmxRegistration.class);
  // Names already reported as taken, so a name clash is logged once, not once per start.
  private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

  private JmxRegistration() {}

  /** The object name {@code dev.trustproxy:type=TrustProxyFilter,name=<filterName>}. */
  static ObjectName objectName(String filterName) throws JMException {
    String name = filterName == null || filterName.isEmpty() ? "TrustProxyFilter" : filterName;
    boolean plain = name.chars().noneMatch(c -> ",=:\"*?\n".indexOf(c) >= 0);
    return new ObjectName("dev.trustproxy:type=TrustProxyFilter,name="
        + (plain ? name : ObjectName.quote(name)));
  }

  /** Registers {@code bean}; returns its name, or null when it could not be registered. */
  static ObjectName register(String filterName, TrustProxyFilterMXBean bean) {
    try {
      ObjectName name = objectName(filterName);
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      try {
        server.registerMBean(new StandardMBean(bean, TrustProxyFilterMXBean.class, true), name);
        return name;
      } catch (InstanceAlreadyExistsException taken) {
        if (REPORTED.add(name.toString())) {
          LOG.warn("TrustProxyFilter: JMX name {} is taken by another filter, so this filter's"
              + " counters are not exposed: give the filters distinct filter-names, or set the"
              + " init-param jmx=false", name);
        }
        return null;
      }
    } catch (JMException | SecurityException e) {
      LOG.warn("TrustProxyFilter: could not register the JMX counters: {}", e.toString());
      return null;
    }
  }

  static void unregister(ObjectName name) {
    if (name == null) {
      return;
    }
    try {
      ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
    } catch (InstanceNotFoundException alreadyGone) {
      // Someone else removed it: nothing to do.
    } catch (JMException | SecurityException e) {
      LOG.warn("TrustProxyFilter: could not unregister {}: {}", name, e.toString());
    }
  }
}
