package dev.trustproxy.containers;

import java.net.InetAddress;
import java.nio.file.Path;

/** One embedded container, started with one web application at the context path "/". */
public interface Container {

  /**
   * Deploys the exploded web application {@code webapp} and listens on {@code address}, port 0.
   *
   * @param work a fresh folder for the container's own files (temp, logs)
   * @return the port it listens on
   */
  int start(Path webapp, InetAddress address, Path work) throws Exception;

  /** Stops the container; harmless when it did not start. */
  void stop() throws Exception;
}
