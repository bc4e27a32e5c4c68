package dev.trustproxy.tomcat;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/** The trust proxy valve (skeleton: passes every request on unchanged until the walk lands). */
public final class TrustProxyValve extends ValveBase {

    /** A valve that supports async requests, as Tomcat's own {@code RemoteIpValve} does. */
    public TrustProxyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
    }
}
