package io.pushcluster.web.tcp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one Redis multi-bulk command, {@code *N\r\n} then N times {@code $len\r\narg\r\n}, from bytes
 * arriving in pieces of any size. It holds at most {@code maxArguments} arguments of at most
 * {@code maxArgumentBytes} bytes each, and rejects a length as soon as it exceeds that.
 */
final class MultiBulkParser {

    private enum State { COUNT_MARK, COUNT, COUNT_END, LENGTH_MARK, LENGTH, LENGTH_END, DATA, DATA_CR, DATA_LF, DONE }

    /** Digits of an argument count: more than any count the server accepts, few enough not to overflow. */
    private static final int MAX_COUNT_DIGITS = 9;

    private final int minArguments;
    private final int maxArguments;
    private final int maxArgumentBytes;
    private final List<String> arguments = new ArrayList<>();
    private State state = State.COUNT_MARK;
    private boolean negative;
    private int digits;
    private long number;
    private int count;
    private byte[] data;
    private int filled;

    MultiBulkParser(int minArguments, int maxArguments, int maxArgumentBytes) {
        this.minArguments = minArguments;
        this.maxArguments = maxArguments;
        this.maxArgumentBytes = maxArgumentBytes;
    }

    /**
     * Consumes bytes of the command from the input, leaving in it any that follow the command.
     *
     * @return the arguments once the whole command has arrived, null while more bytes are needed
     */
    List<String> feed(ByteBuffer input) throws MalformedCommandException {
        if (state == State.DONE) {
            throw new IllegalStateException("the command is complete");
        }
        while (input.hasRemaining() && state != State.DONE) {
            if (state == State.DATA) {
                fill(input);
            } else {
                step(input.get());
            }
        }
        return state == State.DONE ? List.copyOf(arguments) : null;
    }

    private void step(byte b) throws MalformedCommandException {
        switch (state) {
            case COUNT_MARK -> expect(b, '*', State.COUNT);
            case COUNT -> count(b);
            case COUNT_END -> {
                expect(b, '\n', State.LENGTH_MARK);
                if (negative || number < minArguments || number > maxArguments) {
                    throw MalformedCommandException.argumentCount(negative ? -number : number);
                }
                count = (int) number;
                number = 0;
                digits = 0;
            }
            case LENGTH_MARK -> expect(b, '$', State.LENGTH);
            case LENGTH -> length(b);
            case LENGTH_END -> {
                expect(b, '\n', State.DATA);
                data = new byte[(int) number];
                filled = 0;
                number = 0;
                digits = 0;
                if (data.length == 0) {
                    state = State.DATA_CR;
                }
            }
            case DATA_CR -> expect(b, '\r', State.DATA_LF);
            case DATA_LF -> {
                expect(b, '\n', State.LENGTH_MARK);
                arguments.add(decode(data));
                data = null;
                if (arguments.size() == count) {
                    state = State.DONE;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void count(byte b) throws MalformedCommandException {
        if (b == '-' && digits == 0 && !negative) {
            negative = true;
        } else if (b == '\r' && digits > 0) {
            state = State.COUNT_END;
        } else if (isDigit(b) && digits < MAX_COUNT_DIGITS) {
            number = number * 10 + (b - '0');
            digits++;
        } else {
            throw MalformedCommandException.framing("bad argument count");
        }
    }

    private void length(byte b) throws MalformedCommandException {
        if (b == '\r' && digits > 0) {
            state = State.LENGTH_END;
        } else if (isDigit(b)) {
            number = number * 10 + (b - '0');
            digits++;
            if (number > maxArgumentBytes) {
                throw MalformedCommandException.framing("argument longer than " + maxArgumentBytes + " bytes");
            }
        } else {
            throw MalformedCommandException.framing("bad argument length");
        }
    }

    private void fill(ByteBuffer input) {
        int n = Math.min(input.remaining(), data.length - filled);
        input.get(data, filled, n);
        filled += n;
        if (filled == data.length) {
            state = State.DATA_CR;
        }
    }

    private void expect(byte b, char wanted, State next) throws MalformedCommandException {
        if (b != wanted) {
            throw MalformedCommandException.framing("expected " + (int) wanted + ", got " + (b & 0xff));
        }
        state = next;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static String decode(byte[] bytes) throws MalformedCommandException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw MalformedCommandException.framing("argument is not UTF-8");
        }
    }
}
