// placeholder until the worker lands
export {};
