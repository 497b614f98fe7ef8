/* Unsafe string functions, made compile errors (git's banned.h): slices and
 * bounded buffers replace them everywhere in src/. */
#ifndef DS_BANNED_H
#define DS_BANNED_H

#define DS_BANNED(func) sorry_##func##_is_banned_in_dscan

#undef strcpy
#define strcpy(x, y) DS_BANNED(strcpy)
#undef strcat
#define strcat(x, y) DS_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) DS_BANNED(strncpy)
#undef sprintf
#define sprintf(...) DS_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) DS_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) DS_BANNED(strtok)
#undef gets
#define gets(x) DS_BANNED(gets)

#endif
