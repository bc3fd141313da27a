// A C++ program using the installed header (compiled by tests/install/run.sh
// with g++ -std=c++11 -pedantic -Wall -Wextra -Werror) and linking libpathway.
#include <cstdio>

#include <pathway.h>

int main()
{
    pw_error err;
    pw_date date;
    if (pw_date_parse("2026-11-23", &date, &err) != PW_OK) {
        std::fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    char text[11];
    pw_date_format(date, text);
    std::printf("%s %s\n", pw_version(), text);
    return 0;
}
