// The subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, Apache-2.0; the
// public ONNX schema) that exportOnnx writes, as a protobufjs JSON descriptor. Field numbers are the
// schema's; messages and fields we never write are left out (protobuf readers skip nothing: absent
// fields simply take their defaults).
export const onnxSchema = {
    nested: {
        onnx: {
            nested: {
                ModelProto: {
                    fields: {
                        irVersion: { type: "int64", id: 1 },
                        opsetImport: { rule: "repeated", type: "OperatorSetIdProto", id: 8 },
                        producerName: { type: "string", id: 2 },
                        producerVersion: { type: "string", id: 3 },
                        docString: { type: "string", id: 6 },
                        graph: { type: "GraphProto", id: 7 },
                        metadataProps: { rule: "repeated", type: "StringStringEntryProto", id: 14 },
                    },
                },
                OperatorSetIdProto: { fields: { domain: { type: "string", id: 1 }, version: { type: "int64", id: 2 } } },
                StringStringEntryProto: { fields: { key: { type: "string", id: 1 }, value: { type: "string", id: 2 } } },
                GraphProto: {
                    fields: {
                        node: { rule: "repeated", type: "NodeProto", id: 1 },
                        name: { type: "string", id: 2 },
                        initializer: { rule: "repeated", type: "TensorProto", id: 5 },
                        docString: { type: "string", id: 10 },
                        input: { rule: "repeated", type: "ValueInfoProto", id: 11 },
                        output: { rule: "repeated", type: "ValueInfoProto", id: 12 },
                    },
                },
                NodeProto: {
                    fields: {
                        input: { rule: "repeated", type: "string", id: 1 },
                        output: { rule: "repeated", type: "string", id: 2 },
                        name: { type: "string", id: 3 },
                        opType: { type: "string", id: 4 },
                        attribute: { rule: "repeated", type: "AttributeProto", id: 5 },
                        domain: { type: "string", id: 7 },
                    },
                },
                AttributeProto: {
                    fields: {
                        name: { type: "string", id: 1 },
                        type: { type: "int32", id: 20 }, // AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7
                        f: { type: "float", id: 2 },
                        i: { type: "int64", id: 3 },
                        s: { type: "bytes", id: 4 },
                        t: { type: "TensorProto", id: 5 },
                        floats: { rule: "repeated", type: "float", id: 7 },
                        ints: { rule: "repeated", type: "int64", id: 8 },
                    },
                },
                TensorProto: {
                    fields: {
                        dims: { rule: "repeated", type: "int64", id: 1 },
                        dataType: { type: "int32", id: 2 }, // DataType: FLOAT 1, INT32 6, INT64 7, BOOL 9
                        name: { type: "string", id: 8 },
                        rawData: { type: "bytes", id: 9 }, // little-endian, row-major
                    },
                },
                ValueInfoProto: { fields: { name: { type: "string", id: 1 }, type: { type: "TypeProto", id: 2 } } },
                TypeProto: {
                    fields: { tensorType: { type: "TensorTypeProto", id: 1 } },
                },
                // TypeProto.Tensor in onnx.proto (a nested message; only its field numbers matter on the wire)
                TensorTypeProto: { fields: { elemType: { type: "int32", id: 1 }, shape: { type: "TensorShapeProto", id: 2 } } },
                TensorShapeProto: { fields: { dim: { rule: "repeated", type: "DimensionProto", id: 1 } } },
                // TensorShapeProto.Dimension: oneof value { dim_value = 1; dim_param = 2; }
                DimensionProto: { fields: { dimValue: { type: "int64", id: 1 }, dimParam: { type: "string", id: 2 } } },
            },
        },
    },
};
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 };
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 };
/** IR version 8 goes with opset 17 (ONNX 1.12). */
export const IR_VERSION = 8;
export const OPSET = 17;
