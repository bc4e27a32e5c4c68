package dev.trustproxy.integration;

import dev.trustproxy.jetty.ProxyProtocolConnectionFactory;
import java.util.Map;
import java.util.TreeMap;

/** A snapshot of a PROXY factory's counters, to assert exactly which one an attack moved. */
record Counters(Map<String, Long> values) {

  static Counters of(ProxyProtocolConnectionFactory f) {
    Map<String, Long> v = new TreeMap<>();
    v.put("acceptedV1", f.getAcceptedV1());
    v.put("acceptedV2", f.getAcceptedV2());
    v.put("plainUntrusted", f.getPlainUntrusted());
    v.put("plainWithoutHeader", f.getPlainWithoutHeader());
    v.put("rejectedUntrusted", f.getRejectedUntrusted());
    v.put("rejectedTimeout", f.getRejectedTimeout());
    v.put("rejectedMalformed", f.getRejectedMalformed());
    v.put("rejectedTooLarge", f.getRejectedTooLarge());
    v.put("rejectedChecksum", f.getRejectedChecksum());
    return new Counters(v);
  }

  /** The counters that changed since {@code before}, with their change. */
  Map<String, Long> minus(Counters before) {
    Map<String, Long> delta = new TreeMap<>();
    values.forEach((name, value) -> {
      long d = value - before.values.get(name);
      if (d != 0) {
        delta.put(name, d);
      }
    });
    return delta;
  }
}
