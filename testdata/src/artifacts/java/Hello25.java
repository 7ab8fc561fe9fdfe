// hello25.jar: compiled by a JDK 25 javac (class-file major 69); a Java 17 runtime refuses it.
public class Hello25 {
    public static void main(String[] args) {
        System.out.println("ok hello25");
    }
}
