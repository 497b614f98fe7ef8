"use client";

import { useState } from "react";
import { Minus, Plus } from "lucide-react";
import { Button } from "./Button";

export function Counter() {
  const [n, setN] = useState(0);
  return (
    <div className="counter">
      <Button onClick={() => setN(n - 1)} aria-label="less">
        <Minus size={16} />
      </Button>
      <output>{n}</output>
      <Button onClick={() => setN(n + 1)} aria-label="more">
        <Plus size={16} />
      </Button>
    </div>
  );
}
