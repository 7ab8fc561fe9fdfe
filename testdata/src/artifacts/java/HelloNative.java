// hello17-native.jar: a Java 17 program that ships a native library in the JAR
// (native/libhello.so, built from hello.c) as JNI code does; it never loads it.
public class HelloNative {
    static native String greeting();   // implemented in native/libhello.so

    public static void main(String[] args) {
        System.out.println("ok hello17-native");
    }
}
