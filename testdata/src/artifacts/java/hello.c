/* native/libhello.so inside hello17-native.jar: the JNI side of HelloNative.greeting(). */
#include <jni.h>

JNIEXPORT jstring JNICALL Java_HelloNative_greeting(JNIEnv *env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, "hello from libhello.so");
}
