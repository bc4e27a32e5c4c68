package dev.trustproxy.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Dispatches to {@code /echo} again, so that the filter sees the same request twice: {@code
 * /forward} and {@code /include} with a FORWARD or INCLUDE dispatch of the request it got, {@code
 * /async} with an ASYNC dispatch of the container's original request ({@code startAsync()} without
 * arguments), {@code /error} with {@code sendError(418)}, for an error page to show.
 */
public class DispatchServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    if (request.getDispatcherType() != DispatcherType.REQUEST) {
      response.sendError(500, "dispatched to the dispatcher again");
    } else if (request.getServletPath().equals("/forward")) {
      request.getRequestDispatcher("/echo").forward(request, response);
    } else if (request.getServletPath().equals("/include")) {
      request.getRequestDispatcher("/echo").include(request, response);
    } else if (request.getServletPath().equals("/error")) {
      response.sendError(418);
    } else {
      request.startAsync().dispatch("/echo");
    }
  }
}
