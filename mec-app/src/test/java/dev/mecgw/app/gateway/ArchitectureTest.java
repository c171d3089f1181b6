package dev.mecgw.app.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture rules of issue 13, checked on the main classes of every module (mec-app's test
 * classpath sees them all). A violation fails {@code ./mvnw verify} with the rule's text, which names the
 * rule and the offending classes. Core packages are {@code dev.mecgw.app.<area>}; their CDI wiring lives in
 * {@code dev.mecgw.app.<area>.app}.
 */
class ArchitectureTest {

    private static final String APP = "dev.mecgw.app..";
    private static final String WIRING = "dev.mecgw.app.*.app..";
    /** The wiring of an area nested one level deeper, e.g. {@code southbound.sparkplug.app} (issue 21). */
    private static final String NESTED_WIRING = "dev.mecgw.app.*.*.app..";

    private static final String[] LIBRARIES = {"dev.mecgw.inference..", "dev.mecgw.sync..", "dev.mecgw.ran.."};

    private static final Pattern OUR_LIBRARY_JARS =
            Pattern.compile(".*/(ran-integration|inference|sync)-\\d[^/!]*\\.jar!/.*");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // Our libraries are jars in a reactor `verify` (directories in an `-am test`): keep those, skip
                // every other jar and the test jars.
                .withImportOption(location ->
                        !location.isJar() || (location.matches(OUR_LIBRARY_JARS) && !location.contains("-tests.jar")))
                .importPackages("dev.mecgw");
    }

    @Test
    void librariesNeverImportTheApplication() {
        noClasses()
                .that()
                .resideInAnyPackage(LIBRARIES)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(APP)
                .as("libraries never import mec-app")
                .check(classes);
    }

    @Test
    void inferenceAndSyncNeverImportEachOther() {
        noClasses()
                .that()
                .resideInAPackage("dev.mecgw.inference..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.mecgw.sync..")
                .as("inference never imports sync")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.mecgw.sync..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.mecgw.inference..")
                .as("sync never imports inference")
                .check(classes);
    }

    @Test
    void ranIntegrationNeverImportsSync() {
        noClasses()
                .that()
                .resideInAPackage("dev.mecgw.ran..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.mecgw.sync..")
                .as("ran-integration never imports sync")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.mecgw.(**)")
                .should()
                .beFreeOfCycles()
                .as("no package cycles")
                .check(classes);
    }

    @Test
    void corePackagesCarryNoCdi() {
        String name = "core packages of mec-app carry no CDI or Quarkus annotations (wiring lives in <area>.app)";
        noCoreClasses().should().beAnnotatedWith(cdiAnnotation()).as(name).check(classes);
        noMembers()
                .that()
                .areDeclaredInClassesThat()
                .resideInAPackage(APP)
                .and()
                .areDeclaredInClassesThat()
                .resideOutsideOfPackages(WIRING, NESTED_WIRING)
                .should()
                .beAnnotatedWith(cdiAnnotation())
                .as(name)
                .check(classes);
    }

    @Test
    void corePackagesNeverImportWiring() {
        // Audit 13 item 1: the console read the sync status through the wiring bean; a core class needs a core type.
        noCoreClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(WIRING, NESTED_WIRING)
                .as("core packages of mec-app never import <area>.app wiring (they get a core type instead)")
                .check(classes);
    }

    @Test
    void wiringPackagesHoldOnlyWiring() {
        classes()
                .that()
                .resideInAnyPackage(WIRING, NESTED_WIRING)
                .and()
                .areTopLevelClasses()
                .should(beWiring())
                .as("<area>.app packages hold only wiring: CDI beans (producers, observers, health checks),"
                        + " JAX-RS resources, package-private static builders")
                .check(classes);
        // A scope annotation alone lets any behaviour pass (audit 13 item 1); SQL at least has a core home: a store.
        noClasses()
                .that()
                .resideInAnyPackage(WIRING, NESTED_WIRING)
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName(Connection.class.getName())
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(Statement.class)
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName(ResultSet.class.getName())
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName(DriverManager.class.getName())
                .as("<area>.app packages run no SQL (no JDBC connection, statement or result set): queries live in"
                        + " core classes, on store.Jdbc")
                .check(classes);
    }

    @Test
    void onlySecureRandomSourceHoldsARandomInAStaticField() {
        // Issue 22: the native build initialises SecureRandomSource alone at run time; a static generator elsewhere
        // would be seeded in the image builder and shared by every appliance, or fail the native build.
        noFields()
                .that()
                .areStatic()
                .and()
                .haveRawType(JavaClass.Predicates.assignableTo(Random.class))
                .should()
                .beDeclaredInClassesThat()
                .doNotHaveFullyQualifiedName(SecureRandomSource.class.getName())
                .as("only gateway.SecureRandomSource holds a Random in a static field (native build, docs/native.md)")
                .check(classes);
    }

    /** The classes of mec-app's core packages: outside every {@code <area>.app} package. */
    private static GivenClassesConjunction noCoreClasses() {
        return noClasses().that().resideInAPackage(APP).and().resideOutsideOfPackages(WIRING, NESTED_WIRING);
    }

    private static com.tngtech.archunit.base.DescribedPredicate<JavaAnnotation<?>> cdiAnnotation() {
        return describe("a CDI or Quarkus annotation", annotation -> {
            String name = annotation.getRawType().getName();
            return name.startsWith("jakarta.enterprise.")
                    || name.startsWith("jakarta.inject.")
                    || name.startsWith("io.quarkus.");
        });
    }

    /**
     * Wiring is a CDI bean (a scope annotation: producers, observers, health checks), a JAX-RS resource, or
     * a package-private builder its wiring bean calls: only static methods (from configuration to the core
     * objects), or a record of the parts it built. Anything with behaviour of its own belongs in a core package.
     */
    private static ArchCondition<JavaClass> beWiring() {
        return ArchCondition.from(describe(
                "be a CDI bean, a JAX-RS resource, or a package-private static builder",
                (JavaClass type) -> isBeanOrResource(type) || isPackagePrivateBuilder(type)));
    }

    private static boolean isBeanOrResource(JavaClass type) {
        return type.getAnnotations().stream()
                .map(annotation -> annotation.getRawType().getName())
                .anyMatch(name -> Stream.of(
                                "jakarta.enterprise.context.",
                                "jakarta.inject.Singleton",
                                "jakarta.ws.rs.Path",
                                "io.quarkus.arc.")
                        .anyMatch(name::startsWith));
    }

    private static boolean isPackagePrivateBuilder(JavaClass type) {
        if (type.getModifiers().contains(JavaModifier.PUBLIC)) {
            return false;
        }
        boolean record = type.getRawSuperclass()
                .map(superclass -> superclass.isEquivalentTo(Record.class))
                .orElse(false);
        return type.getMethods().stream()
                .filter(method -> !method.getModifiers().contains(JavaModifier.STATIC))
                .allMatch(method -> record
                                && method.getRawParameterTypes().isEmpty()
                                && (type.tryGetField(method.getName()).isPresent()
                                        || Set.of("hashCode", "toString").contains(method.getName()))
                        || record && method.getName().equals("equals"));
    }
}
