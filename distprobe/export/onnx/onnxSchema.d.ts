export declare const onnxSchema: {
    readonly nested: {
        readonly onnx: {
            readonly nested: {
                readonly ModelProto: {
                    readonly fields: {
                        readonly irVersion: {
                            readonly type: "int64";
                            readonly id: 1;
                        };
                        readonly opsetImport: {
                            readonly rule: "repeated";
                            readonly type: "OperatorSetIdProto";
                            readonly id: 8;
                        };
                        readonly producerName: {
                            readonly type: "string";
                            readonly id: 2;
                        };
                        readonly producerVersion: {
                            readonly type: "string";
                            readonly id: 3;
                        };
                        readonly docString: {
                            readonly type: "string";
                            readonly id: 6;
                        };
                        readonly graph: {
                            readonly type: "GraphProto";
                            readonly id: 7;
                        };
                        readonly metadataProps: {
                            readonly rule: "repeated";
                            readonly type: "StringStringEntryProto";
                            readonly id: 14;
                        };
                    };
                };
                readonly OperatorSetIdProto: {
                    readonly fields: {
                        readonly domain: {
                            readonly type: "string";
                            readonly id: 1;
                        };
                        readonly version: {
                            readonly type: "int64";
                            readonly id: 2;
                        };
                    };
                };
                readonly StringStringEntryProto: {
                    readonly fields: {
                        readonly key: {
                            readonly type: "string";
                            readonly id: 1;
                        };
                        readonly value: {
                            readonly type: "string";
                            readonly id: 2;
                        };
                    };
                };
                readonly GraphProto: {
                    readonly fields: {
                        readonly node: {
                            readonly rule: "repeated";
                            readonly type: "NodeProto";
                            readonly id: 1;
                        };
                        readonly name: {
                            readonly type: "string";
                            readonly id: 2;
                        };
                        readonly initializer: {
                            readonly rule: "repeated";
                            readonly type: "TensorProto";
                            readonly id: 5;
                        };
                        readonly docString: {
                            readonly type: "string";
                            readonly id: 10;
                        };
                        readonly input: {
                            readonly rule: "repeated";
                            readonly type: "ValueInfoProto";
                            readonly id: 11;
                        };
                        readonly output: {
                            readonly rule: "repeated";
                            readonly type: "ValueInfoProto";
                            readonly id: 12;
                        };
                    };
                };
                readonly NodeProto: {
                    readonly fields: {
                        readonly input: {
                            readonly rule: "repeated";
                            readonly type: "string";
                            readonly id: 1;
                        };
                        readonly output: {
                            readonly rule: "repeated";
                            readonly type: "string";
                            readonly id: 2;
                        };
                        readonly name: {
                            readonly type: "string";
                            readonly id: 3;
                        };
                        readonly opType: {
                            readonly type: "string";
                            readonly id: 4;
                        };
                        readonly attribute: {
                            readonly rule: "repeated";
                            readonly type: "AttributeProto";
                            readonly id: 5;
                        };
                        readonly domain: {
                            readonly type: "string";
                            readonly id: 7;
                        };
                    };
                };
                readonly AttributeProto: {
                    readonly fields: {
                        readonly name: {
                            readonly type: "string";
                            readonly id: 1;
                        };
                        readonly type: {
                            readonly type: "int32";
                            readonly id: 20;
                        };
                        readonly f: {
                            readonly type: "float";
                            readonly id: 2;
                        };
                        readonly i: {
                            readonly type: "int64";
                            readonly id: 3;
                        };
                        readonly s: {
                            readonly type: "bytes";
                            readonly id: 4;
                        };
                        readonly t: {
                            readonly type: "TensorProto";
                            readonly id: 5;
                        };
                        readonly floats: {
                            readonly rule: "repeated";
                            readonly type: "float";
                            readonly id: 7;
                        };
                        readonly ints: {
                            readonly rule: "repeated";
                            readonly type: "int64";
                            readonly id: 8;
                        };
                    };
                };
                readonly TensorProto: {
                    readonly fields: {
                        readonly dims: {
                            readonly rule: "repeated";
                            readonly type: "int64";
                            readonly id: 1;
                        };
                        readonly dataType: {
                            readonly type: "int32";
                            readonly id: 2;
                        };
                        readonly name: {
                            readonly type: "string";
                            readonly id: 8;
                        };
                        readonly rawData: {
                            readonly type: "bytes";
                            readonly id: 9;
                        };
                    };
                };
                readonly ValueInfoProto: {
                    readonly fields: {
                        readonly name: {
                            readonly type: "string";
                            readonly id: 1;
                        };
                        readonly type: {
                            readonly type: "TypeProto";
                            readonly id: 2;
                        };
                    };
                };
                readonly TypeProto: {
                    readonly fields: {
                        readonly tensorType: {
                            readonly type: "TensorTypeProto";
                            readonly id: 1;
                        };
                    };
                };
                readonly TensorTypeProto: {
                    readonly fields: {
                        readonly elemType: {
                            readonly type: "int32";
                            readonly id: 1;
                        };
                        readonly shape: {
                            readonly type: "TensorShapeProto";
                            readonly id: 2;
                        };
                    };
                };
                readonly TensorShapeProto: {
                    readonly fields: {
                        readonly dim: {
                            readonly rule: "repeated";
                            readonly type: "DimensionProto";
                            readonly id: 1;
                        };
                    };
                };
                readonly DimensionProto: {
                    readonly fields: {
                        readonly dimValue: {
                            readonly type: "int64";
                            readonly id: 1;
                        };
                        readonly dimParam: {
                            readonly type: "string";
                            readonly id: 2;
                        };
                    };
                };
            };
        };
    };
};
export declare const DataType: {
    readonly FLOAT: 1;
    readonly INT32: 6;
    readonly INT64: 7;
    readonly BOOL: 9;
};
export declare const AttributeType: {
    readonly FLOAT: 1;
    readonly INT: 2;
    readonly STRING: 3;
    readonly TENSOR: 4;
    readonly FLOATS: 6;
    readonly INTS: 7;
};
/** IR version 8 goes with opset 17 (ONNX 1.12). */
export declare const IR_VERSION = 8;
export declare const OPSET = 17;
