package dev.trustproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletConnection;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.Adapter;
import org.apache.coyote.Request;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.collections.SynchronizedStack;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.NioEndpoint.NioSocketWrapper;
import org.apache.tomcat.util.net.SecureNioChannel;
import org.apache.tomcat.util.net.SocketBufferHandler;
import org.apache.tomcat.util.net.SocketProperties;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Tomcat member the PROXY connector uses beyond the documented connector API, checked on
 * the Tomcat line this run uses (the build runs it on 10.1 and on 11): it must exist with the same
 * signature, be reachable from a subclass in another package, and, where the connector overrides
 * it, not be final. A Tomcat release that moves one fails here by name, before any behaviour test
 * has to be debugged. The README lists the same members.
 *
 * <p>What these members do (Tomcat calls the channel's handshake before HTTP reads while it
 * reports incomplete; its poller closes read-waiting connections by last read and read timeout;
 * its processors ask the socket wrapper for addresses and the servlet connection) is covered by
 * the behaviour tests of this module on both lines.
 */
class TomcatInternalApiTest {

  enum Use {
    /** Called or read. */
    USED,
    /** Overridden: must also not be final. */
    OVERRIDDEN
  }

  record Row(Class<?> owner, String name, Class<?>[] parameters, boolean field, Use use) {
    @Override
    public String toString() {
      return owner.getSimpleName() + "." + name
          + (field ? "" : Arrays.stream(parameters).map(Class::getSimpleName)
              .collect(Collectors.joining(", ", "(", ")")))
          + (use == Use.OVERRIDDEN ? " [overridden]" : "");
    }
  }

  static Row method(Class<?> owner, String name, Use use, Class<?>... parameters) {
    return new Row(owner, name, parameters, false, use);
  }

  static Row constructor(Class<?> owner, Class<?>... parameters) {
    return new Row(owner, "<init>", parameters, false, Use.USED);
  }

  static Row field(Class<?> owner, String name) {
    return new Row(owner, name, new Class<?>[0], true, Use.USED);
  }

  static Stream<Row> members() {
    return Stream.of(
        // The protocol: built around our endpoint; wraps the adapter at init.
        constructor(Http11NioProtocol.class, NioEndpoint.class),
        method(AbstractProtocol.class, "init", Use.OVERRIDDEN),
        method(AbstractProtocol.class, "getAdapter", Use.USED),
        method(AbstractProtocol.class, "setAdapter", Use.USED, Adapter.class),
        method(Request.class, "getServletConnection", Use.USED),
        // The endpoint: our setSocketOptions does what Tomcat's does, with our types.
        method(NioEndpoint.class, "setSocketOptions", Use.OVERRIDDEN, SocketChannel.class),
        method(NioEndpoint.class, "getNioChannels", Use.USED),
        method(NioEndpoint.class, "getPoller", Use.USED),
        method(NioEndpoint.class, "destroySocket", Use.USED, SocketChannel.class),
        method(NioEndpoint.Poller.class, "register", Use.USED, NioSocketWrapper.class),
        method(SynchronizedStack.class, "pop", Use.USED),
        field(AbstractEndpoint.class, "connections"),
        field(AbstractEndpoint.class, "socketProperties"),
        method(AbstractEndpoint.class, "isSSLEnabled", Use.USED),
        method(AbstractEndpoint.class, "getConnectionTimeout", Use.USED),
        method(AbstractEndpoint.class, "getMaxKeepAliveRequests", Use.USED),
        method(NioEndpoint.class, "getUnixDomainSocketPath", Use.USED),
        method(SocketProperties.class, "getAppReadBufSize", Use.USED),
        method(SocketProperties.class, "getAppWriteBufSize", Use.USED),
        method(SocketProperties.class, "getDirectBuffer", Use.USED),
        method(SocketProperties.class, "setProperties", Use.USED, Socket.class),
        constructor(SocketBufferHandler.class, int.class, int.class, boolean.class),
        method(SocketBufferHandler.class, "getReadBuffer", Use.USED),
        // The socket wrapper: addresses, deadline, servlet connection, close.
        constructor(NioSocketWrapper.class, NioChannel.class, NioEndpoint.class),
        field(SocketWrapperBase.class, "remoteAddr"),
        field(SocketWrapperBase.class, "remoteHost"),
        field(SocketWrapperBase.class, "remotePort"),
        field(SocketWrapperBase.class, "localAddr"),
        field(SocketWrapperBase.class, "localName"),
        field(SocketWrapperBase.class, "localPort"),
        method(NioSocketWrapper.class, "getLastRead", Use.OVERRIDDEN),
        method(NioSocketWrapper.class, "updateLastRead", Use.USED),
        method(SocketWrapperBase.class, "getReadTimeout", Use.OVERRIDDEN),
        method(SocketWrapperBase.class, "setReadTimeout", Use.USED, long.class),
        method(SocketWrapperBase.class, "setWriteTimeout", Use.USED, long.class),
        method(SocketWrapperBase.class, "setKeepAliveLeft", Use.USED, int.class),
        method(SocketWrapperBase.class, "getServletConnection", Use.OVERRIDDEN,
            String.class, String.class),
        method(SocketWrapperBase.class, "unRead", Use.USED, ByteBuffer.class),
        method(SocketWrapperBase.class, "getError", Use.USED),
        method(NioSocketWrapper.class, "doClose", Use.OVERRIDDEN),
        // The channels: the PROXY phase runs as the handshake step.
        constructor(NioChannel.class, SocketBufferHandler.class),
        method(NioChannel.class, "reset", Use.OVERRIDDEN, SocketChannel.class, NioSocketWrapper.class),
        method(NioChannel.class, "isHandshakeComplete", Use.OVERRIDDEN),
        method(NioChannel.class, "handshake", Use.OVERRIDDEN, boolean.class, boolean.class),
        method(NioChannel.class, "getBufHandler", Use.USED),
        field(NioChannel.class, "sc"),
        field(NioChannel.class, "socketWrapper"),
        constructor(SecureNioChannel.class, SocketBufferHandler.class, NioEndpoint.class),
        method(SecureNioChannel.class, "reset", Use.OVERRIDDEN, SocketChannel.class,
            NioSocketWrapper.class),
        method(SecureNioChannel.class, "isHandshakeComplete", Use.OVERRIDDEN),
        method(SecureNioChannel.class, "handshake", Use.OVERRIDDEN, boolean.class, boolean.class),
        field(SecureNioChannel.class, "netInBuffer"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("members")
  void theMemberIsThereAndReachableFromASubclass(Row row) throws Exception {
    Member member = find(row);
    int modifiers = member.getModifiers();
    assertThat(Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers))
        .as(row + " is public or protected").isTrue();
    if (row.use() == Use.OVERRIDDEN) {
      assertThat(Modifier.isFinal(modifiers)).as(row + " is not final").isFalse();
      assertThat(Modifier.isFinal(member.getDeclaringClass().getModifiers()))
          .as(member.getDeclaringClass() + " is not final").isFalse();
    }
    if (member instanceof Field f && row.name().equals("netInBuffer")) {
      assertThat(f.getType()).isEqualTo(ByteBuffer.class);
      assertThat(Modifier.isFinal(modifiers)).as("netInBuffer can be replaced by Tomcat").isFalse();
    }
  }

  /** Finds the member on {@code owner} or a superclass, as a subclass would see it. */
  private static Member find(Row row) throws NoSuchMethodException, NoSuchFieldException {
    if (row.name().equals("<init>")) {
      Constructor<?> c = row.owner().getDeclaredConstructor(row.parameters());
      return c;
    }
    for (Class<?> c = row.owner(); c != null; c = c.getSuperclass()) {
      try {
        return row.field() ? c.getDeclaredField(row.name())
            : c.getDeclaredMethod(row.name(), row.parameters());
      } catch (NoSuchMethodException | NoSuchFieldException notHere) {
        // look further up
      }
    }
    if (row.field()) {
      throw new NoSuchFieldException(row.toString());
    }
    throw new NoSuchMethodException(row.toString());
  }

  /**
   * The adapter in front of Tomcat's implements every abstract method of {@link Adapter} (a new
   * one in a Tomcat release would otherwise fail at run time with {@code AbstractMethodError}),
   * and our servlet connection every method of the Servlet API's interface.
   */
  @Test
  void theWrappersImplementEveryMethodOfWhatTheyWrap() {
    assertImplementsEveryMethod(ProxyHeaderAdapter.class, Adapter.class);
    assertImplementsEveryMethod(ProxyServletConnection.class, ServletConnection.class);
  }

  private static void assertImplementsEveryMethod(Class<?> wrapper, Class<?> wrapped) {
    Set<String> declared = Arrays.stream(wrapper.getDeclaredMethods())
        .map(TomcatInternalApiTest::signature).collect(Collectors.toSet());
    Set<String> required = Arrays.stream(wrapped.getMethods())
        .filter(m -> Modifier.isAbstract(m.getModifiers()))
        .map(TomcatInternalApiTest::signature).collect(Collectors.toSet());
    assertThat(declared).as(wrapper.getSimpleName()).containsAll(required);
  }

  private static String signature(Method m) {
    return m.getName() + Arrays.toString(m.getParameterTypes());
  }

  /** The rows name each distinct member once. */
  @Test
  void theTableHasNoDuplicates() {
    Map<String, Long> counts = members().collect(
        Collectors.groupingBy(Row::toString, Collectors.counting()));
    assertThat(counts.values()).allMatch(c -> c == 1);
  }
}
