/* many-exports: ten thousand exported functions with long names. Linked into
   c-getpwnam-exports with -rdynamic, they make its dynamic string table over 256 KiB, the
   size above which whichbase streams the dynamic symbols instead of reading the tables whole
   (node and libLLVM have megabytes of them). */
#define F(n) int whichbase_padding_export_with_a_deliberately_long_name_##n(void) { return 0; }
#define F10(n) F(n##0) F(n##1) F(n##2) F(n##3) F(n##4) F(n##5) F(n##6) F(n##7) F(n##8) F(n##9)
#define F100(n) F10(n##0) F10(n##1) F10(n##2) F10(n##3) F10(n##4) F10(n##5) F10(n##6) F10(n##7) F10(n##8) F10(n##9)
#define F1000(n) F100(n##0) F100(n##1) F100(n##2) F100(n##3) F100(n##4) F100(n##5) F100(n##6) F100(n##7) F100(n##8) F100(n##9)
F1000(1) F1000(2) F1000(3) F1000(4) F1000(5) F1000(6) F1000(7) F1000(8) F1000(9) F1000(0)
