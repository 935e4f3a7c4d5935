/** A running CRC-32: feed byte chunks with update(), read the value as 8 hex digits with hex(). */
export declare class Crc32 {
    private state;
    update(bytes: Uint8Array): this;
    get value(): number;
    hex(): string;
}
