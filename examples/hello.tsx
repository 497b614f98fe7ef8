// examples/hello.tsx — what `dscan lex` reads and prints:
//
//   $ build/dscan lex examples/hello.tsx
//   {"directives":["use client"],"imports":[{"specifier":"react","kind":"static"},
//    {"specifier":"./Button","kind":"static"},{"specifier":"./icons","kind":"reexport"},
//    {"specifier":"./Chart","kind":"dynamic"}]}
//
// (printed on one line). Type-only imports, and imports inside strings,
// comments, templates and JSX text, are not listed.
"use client";

import { lazy, useState, type ReactNode } from "react";
import type { Props } from "./types";
import { Button } from "./Button";
export * from "./icons";

const Chart = lazy(() => import("./Chart"));
const identity = <T,>(x: T) => x;

export default function Hello({ name }: { name: string }): ReactNode {
    const [n, setN] = useState(0);
    // import "not-this-one"
    return (
        <p title={`hi ${name}`}>
            Don't "import" me: it's text. n / 2 = {n / 2}
            <Button onClick={() => setN(identity(n + 1))}>+1</Button>
        </p>
    );
}
