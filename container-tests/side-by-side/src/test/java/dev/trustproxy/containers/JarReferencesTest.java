package dev.trustproxy.containers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.ClientResolver;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The javax jar names no {@code jakarta.} type and the Jakarta jar no {@code javax.servlet} one,
 * in any class file or resource; and the two can share one class path (README D111): no package
 * in both, one copy of the core.
 *
 * <p>Every name a class file refers to (types, descriptors, string constants) is a constant-pool
 * UTF-8 entry, and ASCII text is stored there byte for byte: so searching a class file's bytes for
 * the ASCII text finds every such reference, in internal ({@code jakarta/servlet}) and in dotted
 * ({@code jakarta.servlet}) form. Every entry is read, the jar's own {@code META-INF/maven} pom
 * included. The roots are the published jars in {@code ./mvnw verify} (the reactor hands this
 * module the packaged jars), or their class folders when only the test phase ran.
 */
class JarReferencesTest {

  private static final String JAVAX = "dev.trustproxy.servlet.javax.TrustProxyFilter";
  private static final String JAKARTA = "dev.trustproxy.servlet.TrustProxyFilter";

  @Test
  void theJavaxJarNamesNoJakartaType() throws Exception {
    Map<String, List<String>> found = references(root(JAVAX),
        "jakarta/", "jakarta.");
    assertThat(found.keySet()).as("entries scanned").contains(
        "dev/trustproxy/servlet/javax/TrustProxyFilter.class", "META-INF/web-fragment.xml");
    assertThat(hits(found)).isEmpty();
  }

  @Test
  void theJakartaJarNamesNoJavaxServletType() throws Exception {
    Map<String, List<String>> found = references(root(JAKARTA),
        "javax/servlet", "javax.servlet");
    assertThat(found.keySet()).as("entries scanned").contains(
        "dev/trustproxy/servlet/TrustProxyFilter.class", "META-INF/web-fragment.xml");
    assertThat(hits(found)).isEmpty();
  }

  /** The scan itself: this class's own bytes hold the texts it searches for. */
  @Test
  void theScanFindsAReferenceWhereThereIsOne() throws Exception {
    Map<String, List<String>> found = references(root(JarReferencesTest.class.getName()),
        "jakarta.", "javax/servlet");
    assertThat(found.get("dev/trustproxy/containers/JarReferencesTest.class"))
        .contains("jakarta.", "javax/servlet");
  }

  @Test
  void theTwoJarsShareNoPackageAndOneCore() throws Exception {
    Set<String> javax = packages(root(JAVAX));
    Set<String> jakarta = packages(root(JAKARTA));
    assertThat(javax).containsExactly("dev/trustproxy/servlet/javax");
    assertThat(jakarta).containsExactly("dev/trustproxy/servlet");
    List<URL> cores = Collections.list(JarReferencesTest.class.getClassLoader()
        .getResources(ClientResolver.class.getName().replace('.', '/') + ".class"));
    assertThat(cores).as("copies of the core on the class path").hasSize(1);
    assertThat(root(ClientResolver.class.getName())).isNotIn(
        root(JAVAX), root(JAKARTA));
  }

  /** The jar or class folder that holds class {@code name}, found without loading it. */
  private static Path root(String name) throws URISyntaxException {
    String resource = name.replace('.', '/') + ".class";
    URL url = JarReferencesTest.class.getClassLoader().getResource(resource);
    assertThat(url).as("%s on the test class path", resource).isNotNull();
    String text = url.toString();
    if (text.startsWith("jar:")) {
      return Path.of(new java.net.URI(text.substring(4, text.indexOf("!/"))));
    }
    Path file = Path.of(url.toURI());
    for (int i = 0; i < resource.split("/").length; i++) {
      file = file.getParent();
    }
    return file;
  }

  /** For each entry (class files and resources) of {@code root}, the texts of {@code words} in it. */
  private static Map<String, List<String>> references(Path root, String... words)
      throws IOException {
    Map<String, List<String>> found = new TreeMap<>();
    walk(root, (entry, bytes) -> {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      List<String> hits = new ArrayList<>();
      for (String word : words) {
        if (text.contains(word)) {
          hits.add(word);
        }
      }
      found.put(entry, hits);
    });
    return found;
  }

  private static List<String> hits(Map<String, List<String>> found) {
    List<String> hits = new ArrayList<>();
    found.forEach((entry, words) -> words.forEach(w -> hits.add(entry + " names " + w)));
    return hits;
  }

  /** The packages (folders) of the class files in {@code root}. */
  private static Set<String> packages(Path root) throws IOException {
    Set<String> packages = new TreeSet<>();
    walk(root, (entry, bytes) -> {
      if (entry.endsWith(".class") && !entry.equals("module-info.class")) {
        packages.add(entry.substring(0, entry.lastIndexOf('/')));
      }
    });
    return packages;
  }

  private interface EntryVisitor {
    void visit(String entry, byte[] bytes) throws IOException;
  }

  private static void walk(Path root, EntryVisitor visitor) throws IOException {
    if (Files.isDirectory(root)) {
      visitTree(root, visitor);
      return;
    }
    try (FileSystem jar = FileSystems.newFileSystem(root)) {
      visitTree(jar.getPath("/"), visitor);
    }
  }

  private static void visitTree(Path top, EntryVisitor visitor) throws IOException {
    try (Stream<Path> files = Files.walk(top)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String entry = top.relativize(file).toString().replace('\\', '/');
        visitor.visit(entry, Files.readAllBytes(file));
      }
    }
  }
}
