package dev.appstrate.server;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server's layering rules, checked on the compiled classes (tests excluded). */
class ArchitectureRulesTest {
    static final String SERVER = "dev.appstrate.server";
    static final String COMPOSITION_ROOT = SERVER + ".ServerComponents";

    private static JavaClasses server;

    @BeforeAll
    static void importClasses() {
        server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(SERVER);
    }

    static final ArchRule NO_JAVAFX = noClasses().that().resideInAPackage(SERVER + "..")
            .should().dependOnClassesThat().resideInAPackage("javafx..")
            .because("the server runs headless (Docker, CI, a remote host); only the desktop app draws windows");

    static final ArchRule JDBC_ONLY_IN_PERSISTENCE = noClasses().that().resideInAPackage(SERVER + "..")
            .and(DescribedPredicate.not(persistenceClass()))
            .should().dependOnClassesThat().resideInAPackage("java.sql..")
            .because("SQL lives in a feature's *Repository (through store/Rows), so a schema change has one place"
                    + " to look and routes and services stay testable without a database");

    static final ArchRule THREADS_FROM_THE_FACTORY = noClasses().that().resideInAPackage(SERVER + "..")
            .and().doNotHaveFullyQualifiedName(SERVER + ".concurrent.NamedExecutors")
            .and().doNotHaveFullyQualifiedName(SERVER + ".Main")
            .should().callConstructorWhere(constructorOf(Thread.class))
            .because("every thread is named, daemon and logs its failures (NamedExecutors); Main only adds the JVM"
                    + " shutdown hook and signal handlers, which must be raw threads");

    static final ArchRule EXECUTORS_FROM_THE_FACTORY = noClasses().that().resideInAPackage(SERVER + "..")
            .should().callMethodWhere(DescribedPredicate.describe("a method of Executors",
                    call -> call.getTarget().getOwner().isEquivalentTo(java.util.concurrent.Executors.class)))
            .because("Executors' pools make unnamed threads and let a periodic task's first failure cancel it;"
                    + " NamedExecutors' log failures and keep periodic tasks on schedule (CatchingExecutors)");

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching(SERVER + ".(*)..").namingSlices("$1")
            .should().beFreeOfCycles()
            .because("a feature package that needs another one's service gets it through the composition root's"
                    + " constructors; a cycle means a change can't stay in one package");

    static final ArchRule REPOSITORIES_STAY_IN_THEIR_FEATURE = classes().that().resideInAPackage(SERVER + "..")
            .and(DescribedPredicate.describe("are a *Repository or one of its row types",
                    (JavaClass c) -> topLevel(c).getSimpleName().endsWith("Repository")))
            .should(onlyBeUsedFromTheirFeatureOrTheCompositionRoot())
            .because("a feature owns its tables: another feature asks its service, never its repository");

    @Test
    void theServerNeverImportsJavaFx() {
        NO_JAVAFX.check(server);
    }

    @Test
    void jdbcOnlyInPersistenceClasses() {
        JDBC_ONLY_IN_PERSISTENCE.check(server);
    }

    @Test
    void threadsComeFromTheNamedExecutorFactory() {
        THREADS_FROM_THE_FACTORY.check(server);
    }

    @Test
    void executorsComeFromTheNamedExecutorFactory() {
        EXECUTORS_FROM_THE_FACTORY.check(server);
    }

    @Test
    void noPackageCycles() {
        NO_PACKAGE_CYCLES.check(server);
    }

    @Test
    void featuresDoNotReachIntoEachOthersPersistence() {
        REPOSITORIES_STAY_IN_THEIR_FEATURE.check(server);
    }

    /** A persistence class: a feature's {@code *Repository} or the {@code store} package (Rows, migrations). */
    static DescribedPredicate<JavaClass> persistenceClass() {
        return DescribedPredicate.describe("persistence classes (*Repository, store/)", c ->
                c.getPackageName().startsWith(SERVER + ".store") || topLevel(c).getSimpleName().endsWith("Repository"));
    }

    static DescribedPredicate<com.tngtech.archunit.core.domain.JavaConstructorCall> constructorOf(Class<?> type) {
        return DescribedPredicate.describe("the constructor of " + type.getSimpleName(),
                call -> call.getTarget().getOwner().isEquivalentTo(type));
    }

    static ArchCondition<JavaClass> onlyBeUsedFromTheirFeatureOrTheCompositionRoot() {
        return new ArchCondition<>("only be used from their own feature package or the composition root") {
            @Override
            public void check(JavaClass repository, ConditionEvents events) {
                String feature = feature(repository);
                for (Dependency d : repository.getDirectDependenciesToSelf()) {
                    JavaClass origin = d.getOriginClass();
                    if (origin.getName().startsWith(COMPOSITION_ROOT) || feature.equals(feature(origin))) {
                        continue;
                    }
                    events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                }
            }
        };
    }

    /** The feature package: the first segment under dev.appstrate.server ("" for the root). */
    static String feature(JavaClass c) {
        String pkg = c.getPackageName();
        if (pkg.length() <= SERVER.length()) {
            return "";
        }
        String rest = pkg.substring(SERVER.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    static JavaClass topLevel(JavaClass c) {
        JavaClass t = c;
        while (t.getEnclosingClass().isPresent()) {
            t = t.getEnclosingClass().get();
        }
        return t;
    }
}
