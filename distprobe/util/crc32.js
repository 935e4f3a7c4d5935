// CRC-32 (IEEE 802.3, the zlib/PNG polynomial 0xEDB88320, reflected), pure JS so it runs in browsers too.
// It detects every single-bit error and every burst of up to 32 bits, which covers byte flips.
const TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        table[n] = c >>> 0;
    }
    return table;
})();
/** A running CRC-32: feed byte chunks with update(), read the value as 8 hex digits with hex(). */
export class Crc32 {
    state = 0xffffffff;
    update(bytes) {
        let c = this.state;
        for (let i = 0; i < bytes.length; i++)
            c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
        this.state = c;
        return this;
    }
    get value() {
        return (this.state ^ 0xffffffff) >>> 0;
    }
    hex() {
        return this.value.toString(16).padStart(8, "0");
    }
}
