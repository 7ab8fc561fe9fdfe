// hello17.jar: compiled by Debian's javac 17 (class-file major 61), Main-Class in the manifest.
public class Hello17 {
    public static void main(String[] args) {
        System.out.println("ok hello17");
    }
}
