package io.ringcache.loadtest.cli;

import io.ringcache.loadtest.dsl.Simulation;
import io.ringcache.loadtest.dsl.SimulationFactory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;

/**
 * The simulation a command runs: a built-in name, or the fully qualified name of a user's
 * {@link SimulationFactory} class, found on loadtest's own class path or in the jars and
 * directories given with {@code --classpath}.
 *
 * <h2>Design</h2>
 *
 * A built-in name wins over a class (built-in names contain a dash, so no class can be shadowed).
 * Classes from {@code --classpath} are loaded by a {@link URLClassLoader} whose parent is
 * loadtest's own loader, parent first: the user's class sees the very {@code dsl} classes the
 * runner uses, even when its jar bundles a copy of them. The loader stays open until this object
 * is closed, after the run, since user code (a lambda in a feeder, say) may load classes lazily.
 *
 * <h2>Failure</h2>
 *
 * Every way the input can be wrong ends in a {@link BadInputException} with one line naming
 * the class and the problem: a {@code --classpath} entry that is missing or not a jar, a class not
 * found, not loadable, not a factory, abstract, not public, without a public no-argument
 * constructor, a constructor or {@link SimulationFactory#create} that threw, or a simulation that
 * does not {@link Simulation#validate validate}. The exception thrown by user code is summarized
 * by type and message, not printed as a stack trace.
 */
final class SimulationChoice implements AutoCloseable {

  private final String label;
  private final SimulationFactory factory;
  private final URLClassLoader loader;

  private SimulationChoice(String label, SimulationFactory factory, URLClassLoader loader) {
    this.label = label;
    this.factory = factory;
    this.loader = loader;
  }

  /**
   * Resolves {@code nameOrClass}.
   *
   * @param classpath {@code --classpath} entries (jars or directories), each of which may hold
   *     several joined by the platform's path separator; empty for none
   * @throws BadInputException naming what is wrong
   */
  static SimulationChoice of(String nameOrClass, List<String> classpath) {
    Optional<SimulationFactory> builtIn = BuiltInSimulations.find(nameOrClass);
    if (builtIn.isPresent()) {
      return new SimulationChoice("built-in simulation '" + nameOrClass + "'", builtIn.get(), null);
    }
    URLClassLoader loader = classpath.isEmpty() ? null : loaderOver(classpath);
    try {
      ClassLoader from = loader != null ? loader : SimulationChoice.class.getClassLoader();
      return new SimulationChoice(nameOrClass, instantiate(nameOrClass, from, loader != null),
          loader);
    } catch (RuntimeException | Error e) {
      release(loader);
      throw e;
    }
  }

  /**
   * A simulation from the chosen factory, validated.
   *
   * @throws BadInputException when the factory throws, returns {@code null} or returns a
   *     simulation that cannot run
   */
  Simulation create(Duration duration, double rate) {
    Simulation sim;
    try {
      sim = factory.create(duration, rate);
    } catch (RuntimeException | LinkageError e) {
      // A LinkageError here is the user's jar missing a class its simulation needs.
      throw new BadInputException(String.format("%s: create(%s, %s) threw %s", label,
          DurationConverter.format(duration), rate, describe(e)));
    }
    if (sim == null) {
      throw new BadInputException(label + ": create returned null, not a Simulation");
    }
    try {
      return sim.validate();
    } catch (IllegalStateException e) {
      throw new BadInputException(label + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    release(loader);
  }

  private static SimulationFactory instantiate(String className, ClassLoader from,
      boolean withClasspath) {
    Class<?> type;
    try {
      type = Class.forName(className, false, from);
    } catch (ClassNotFoundException e) {
      throw new BadInputException(String.format(
          "no built-in simulation or class named '%s' (built-in: %s; a class is named in full,"
              + " like com.example.CartSimulation, %s)", className,
          String.join(", ", BuiltInSimulations.NAMES),
          withClasspath ? "and was not found in --classpath either"
              : "and needs --classpath when it is not on loadtest's own class path"));
    } catch (LinkageError e) {
      throw new BadInputException("class " + className + " cannot be loaded: "
          + describe(e));
    }
    String name = type.getName();
    if (!SimulationFactory.class.isAssignableFrom(type)) {
      throw new BadInputException(String.format("class %s does not implement %s", name,
          SimulationFactory.class.getName()));
    }
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      throw new BadInputException("class " + name + " is abstract; name a concrete class");
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      throw new BadInputException("class " + name + " is not public");
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new BadInputException(
          "class " + name + " has no public no-argument constructor");
    }
    try {
      return (SimulationFactory) constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw new BadInputException(
          "the constructor of " + name + " threw " + describe(e.getCause()));
    } catch (ExceptionInInitializerError e) {
      throw new BadInputException(
          "the static initializer of " + name + " threw " + describe(e.getCause()));
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new BadInputException("class " + name + " cannot be instantiated: "
          + describe(e));
    }
  }

  private static URLClassLoader loaderOver(List<String> classpath) {
    List<URL> urls = new ArrayList<>();
    for (String joined : classpath) {
      for (String entry : joined.split(File.pathSeparator)) {
        if (entry.isBlank()) {
          continue;
        }
        Path path = Path.of(entry.strip());
        if (!Files.exists(path)) {
          throw new BadInputException(
              "--classpath entry '" + entry + "' does not exist (" + path.toAbsolutePath() + ")");
        }
        requireJarOrDirectory(entry, path);
        try {
          urls.add(path.toAbsolutePath().toUri().toURL());
        } catch (MalformedURLException e) {
          throw new BadInputException("--classpath entry '" + entry + "' is not usable: "
              + e.getMessage());
        }
      }
    }
    return new URLClassLoader("simulations", urls.toArray(URL[]::new),
        SimulationChoice.class.getClassLoader());
  }

  /**
   * A file entry must open as a jar: {@link URLClassLoader} skips one that does not, and the
   * user would only hear that the class was not found.
   */
  private static void requireJarOrDirectory(String entry, Path path) {
    if (Files.isDirectory(path)) {
      return;
    }
    try (JarFile jar = new JarFile(path.toFile())) {
      jar.size();
    } catch (IOException e) {
      throw new BadInputException("--classpath entry '" + entry + "' is neither a directory nor"
          + " a jar (" + describe(e) + ")");
    }
  }

  private static String describe(Throwable t) {
    if (t == null) {
      return "an unknown error";
    }
    return t.getMessage() == null ? t.getClass().getName()
        : t.getClass().getName() + ": " + t.getMessage();
  }

  private static void release(URLClassLoader loader) {
    if (loader == null) {
      return;
    }
    try {
      loader.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the --classpath class loader", e);
    }
  }
}
