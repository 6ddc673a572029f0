export declare function benchConfig(options?: { include?: string[]; setupFiles?: string[]; timeout?: number }): object;
export declare function machineDescription(): string;
export declare function writeBenchmarkSection(file: string, title: string, command: string, body: string): void;
