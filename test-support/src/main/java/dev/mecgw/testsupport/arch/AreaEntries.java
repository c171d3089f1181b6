package dev.mecgw.testsupport.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The rule "one public entry class per area" (STYLE.md §1, issue 13) for a library module: each area
 * {@code <root>.<area>} names its entry class and the few other classes an application builds itself; every other
 * public top-level class of the module must be a type of their public API (a parameter, result, field, thrown or
 * super type of a public member, followed transitively: the records passed across, config records, contracts,
 * enums). A class nothing outside its package needs is package-private, and a new public one fails the build with
 * this rule's name until it is made package-private or listed with its reason.
 */
public final class AreaEntries {

    private final String root;
    private final Map<String, List<String>> listed;

    private AreaEntries(String root, Map<String, List<String>> listed) {
        this.root = root;
        this.listed = Map.copyOf(listed);
    }

    /**
     * @param root the library's root package, e.g. {@code dev.mecgw.sync}
     * @param listed per area (the package under {@code root}), the simple names of its public classes: the entry
     *     first, then those an application builds itself
     * @return the rule over the library's main classes
     */
    public static ArchRule onePublicEntryPerArea(String root, Map<String, List<String>> listed) {
        AreaEntries entries = new AreaEntries(root, listed);
        return classes()
                .that()
                .resideInAPackage(root + "..")
                .and()
                .arePublic()
                .and()
                .areTopLevelClasses()
                .should(entries.beListedOrPartOfTheirApi())
                .as(root + ": one public entry class per area (plus the listed classes an application builds);"
                        + " any other public class is a type of their public API");
    }

    /** @return the main classes (no tests, no jars) of the module whose root package is {@code root} */
    public static JavaClasses mainClassesOf(String root) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(root);
    }

    private ArchCondition<JavaClass> beListedOrPartOfTheirApi() {
        return new ArchCondition<>("be an area's entry, a listed class, or a type of their public API") {
            private final Set<JavaClass> exposed = new HashSet<>();
            private final Set<String> missing = new TreeSet<>();

            @Override
            public void init(Collection<JavaClass> publicClasses) {
                Deque<JavaClass> pending = new ArrayDeque<>();
                listed.forEach((area, names) -> names.forEach(name -> publicClasses.stream()
                        .filter(type -> type.getName().equals(root + "." + area + "." + name))
                        .findFirst()
                        .ifPresentOrElse(pending::add, () -> missing.add(root + "." + area + "." + name))));
                while (!pending.isEmpty()) {
                    JavaClass type = pending.pop();
                    if (type.getPackageName().startsWith(root) && exposed.add(type)) {
                        apiTypesOf(type).forEach(pending::add);
                    }
                }
            }

            @Override
            public void check(JavaClass type, ConditionEvents events) {
                if (!exposed.contains(type)) {
                    events.add(SimpleConditionEvent.violated(
                            type,
                            type.getName() + " is public but is neither an area's entry, a listed class nor a type"
                                    + " of their public API: make it package-private, or list it with the reason"));
                }
            }

            @Override
            public void finish(ConditionEvents events) {
                // A stale list would keep allowing what it no longer needs to.
                missing.forEach(name -> events.add(SimpleConditionEvent.violated(
                        name, name + " is listed but is not a public top-level class: remove it from the list")));
            }
        };
    }

    /** The types a caller outside the package can reach through {@code type}: supertypes and public members. */
    private static Stream<JavaClass> apiTypesOf(JavaClass type) {
        Stream<JavaType> supertypes = Stream.concat(type.getSuperclass().stream(), type.getInterfaces().stream());
        Stream<JavaClass> members = type.getMembers().stream()
                .filter(AreaEntries::isReachable)
                .flatMap(member -> member instanceof JavaField field
                        ? field.getType().getAllInvolvedRawTypes().stream()
                        : codeUnitTypes((JavaCodeUnit) member));
        return Stream.concat(supertypes.flatMap(t -> t.getAllInvolvedRawTypes().stream()), members)
                .map(JavaClass::getBaseComponentType);
    }

    private static Stream<JavaClass> codeUnitTypes(JavaCodeUnit unit) {
        return Stream.of(
                        unit.getParameterTypes().stream().flatMap(t -> t.getAllInvolvedRawTypes().stream()),
                        unit.getReturnType().getAllInvolvedRawTypes().stream(),
                        unit.getExceptionTypes().stream())
                .flatMap(s -> s);
    }

    private static boolean isReachable(JavaMember member) {
        Set<JavaModifier> modifiers = member.getModifiers();
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }
}
