/**
 * Names a layer's Python identifier must never take. Each list says where it comes from;
 * tests/io/python-text.test.ts compares them with the installed Python and PyTorch, so a new
 * keyword, builtin or `nn.Module` attribute cannot slip through unnoticed.
 */

/** `keyword.kwlist` and `keyword.softkwlist` (Python 3.12: `type` is soft too). */
export const PYTHON_KEYWORDS = [
  ...'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
  ...['_', 'case', 'match', 'type'],
];

/**
 * `dir(builtins)` without the underscored names. Generated code calls some of them (`float`,
 * `print`, `tuple`, `sum`), and a layer called `print` would shadow the function for the rest
 * of `forward()`; reserving all of them is one rule instead of a list of the ones used today.
 */
export const PYTHON_BUILTINS =
  `ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError
BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError
ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning
EnvironmentError Exception ExceptionGroup False FileExistsError FileNotFoundError FloatingPointError
FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError IndexError
InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError
ModuleNotFoundError NameError None NotADirectoryError NotImplemented NotImplementedError OSError
OverflowError PendingDeprecationWarning PermissionError ProcessLookupError PythonFinalizationError
RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration
StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError
UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError
UnicodeWarning UserWarning ValueError Warning ZeroDivisionError abs aiter all anext any ascii bin
bool breakpoint bytearray bytes callable chr classmethod compile complex copyright credits delattr
dict dir divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash
help hex id input int isinstance issubclass iter len license list locals map max memoryview min next
object oct open ord pow print property quit range repr reversed round set setattr slice sorted
staticmethod str sum super tuple type vars zip`.split(/\s+/);

/**
 * The public attributes of `torch.nn.Module`: `dir(torch.nn.Module())` of PyTorch 1.13 without
 * the underscored names, plus those later versions added (2.0–2.5: `call_super_init`,
 * `compile`, `mtia`, `set_submodule`, the state-dict and backward-pre hooks). A layer stored as
 * `self.forward` or `self.training` breaks the module; underscored names never reach an
 * attribute (see `pyIdentifier`), which covers the private ones of every version.
 */
export const TORCH_MODULE_ATTRIBUTES =
  `T_destination add_module apply bfloat16 buffers call_super_init children compile cpu cuda
double dump_patches eval extra_repr float forward get_buffer get_extra_state get_parameter
get_submodule half ipu load_state_dict modules mtia named_buffers named_children named_modules
named_parameters parameters register_backward_hook register_buffer register_forward_hook
register_forward_pre_hook register_full_backward_hook register_full_backward_pre_hook
register_load_state_dict_post_hook register_load_state_dict_pre_hook register_module
register_parameter register_state_dict_post_hook register_state_dict_pre_hook requires_grad_
set_extra_state set_submodule share_memory state_dict to to_empty train training type xpu
zero_grad`.split(/\s+/);

/**
 * Names `forward()` and Keras' `build_model()` read besides the layers: `self`, the imported
 * modules, and the PyTorch helper functions and classes.
 */
export const GENERATED_NAMES = [
  ...['self', 'torch', 'nn', 'F', 'keras', 'layers'],
  ...['pad_same', 'avg_pool_same', 'to_channels_last', 'to_channels_first', 'ZeroPadShortcut'],
  ...['BasicBlock', 'Bottleneck'],
];
