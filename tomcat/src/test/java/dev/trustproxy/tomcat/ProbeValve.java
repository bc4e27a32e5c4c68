package dev.trustproxy.tomcat;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Records what Tomcat's request says once the rest of the pipeline has returned: placed before
 * the valve under test, it sees whether the connection's values were put back.
 */
final class ProbeValve extends ValveBase {

  final List<String> after = new CopyOnWriteArrayList<>();

  ProbeValve() {
    super(true);
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    try {
      getNext().invoke(request, response);
    } finally {
      after.add(request.getRemoteAddr() + " " + request.getRemoteHost() + " "
          + request.getScheme() + " " + request.isSecure() + " " + request.getServerName() + " "
          + request.getServerPort() + " async=" + request.isAsync());
    }
  }
}
